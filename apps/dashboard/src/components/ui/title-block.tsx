import type { ReactNode } from "react";
import { cx } from "./cx.ts";

/** A title (any heading element) with an optional description under it, muted. */
export function TitleBlock({
  title,
  description,
  className,
  descriptionClassName = "text-sm text-text-muted",
}: {
  title: ReactNode;
  description?: ReactNode;
  className?: string;
  descriptionClassName?: string;
}) {
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      {title}
      {description ? <p className={descriptionClassName}>{description}</p> : null}
    </div>
  );
}
