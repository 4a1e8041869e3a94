import type { ReactNode } from "react";
import { CopyButton } from "./copy-button.tsx";
import { cx } from "./cx.ts";

const VALUE_LOOKS = {
  /** a secret shown once: large, on one line that scrolls, selected whole by a click */
  secret:
    "block flex-1 select-all overflow-x-auto rounded-md border border-border bg-code-bg px-3 py-2.5 font-mono text-sm whitespace-nowrap",
  /** a digest or an id kept for the records: small, wrapping anywhere */
  digest: "min-w-0 break-all rounded bg-surface-muted px-2 py-1 text-xs",
};

/**
 * A value people copy somewhere else: its label, the value (found by `testId`) and a copy
 * button beside it, then `children` (what to do with it).
 */
export function CopyableValue({
  label,
  value,
  look,
  testId,
  children,
}: {
  label: ReactNode;
  value: string;
  look: keyof typeof VALUE_LOOKS;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <span className="text-sm font-medium text-text">{label}</span>
      <div className={cx("flex items-center gap-2", look === "digest" && "flex-wrap")}>
        <code data-testid={testId} className={VALUE_LOOKS[look]}>
          {value}
        </code>
        <CopyButton value={value} />
      </div>
      {children}
    </div>
  );
}
