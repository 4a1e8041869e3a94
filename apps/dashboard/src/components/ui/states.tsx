import type { ReactNode } from "react";
import { Button } from "./button.tsx";
import { cx } from "./cx.ts";
import { AlertIcon, InboxIcon, RefreshIcon } from "./icons.tsx";
import { TitleBlock } from "./title-block.tsx";

/** What a list shows when it has nothing: what would be here, and how to add the first one. */
export function EmptyState({
  title,
  description,
  action,
  icon = <InboxIcon className="size-6" />,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-input-border bg-surface px-6 py-12 text-center">
      <span className="inline-flex size-12 items-center justify-center rounded-full bg-accent-soft text-accent">
        {icon}
      </span>
      <TitleBlock
        className="max-w-md"
        title={<p className="font-semibold text-text">{title}</p>}
        description={description}
      />
      {action ? <div className="mt-1">{action}</div> : null}
    </div>
  );
}

/** A failed load: says what failed, in words, and offers to try again. */
export function ErrorState({
  title = "This could not be loaded",
  message,
  onRetry,
}: {
  title?: string;
  message?: string;
  onRetry?: () => void;
}) {
  return (
    <div
      role="alert"
      className="flex flex-col items-center gap-3 rounded-lg border border-danger/30 bg-danger-soft px-6 py-10 text-center"
    >
      <AlertIcon className="size-7 text-danger" />
      <TitleBlock
        className="max-w-md"
        title={<p className="font-semibold text-text">{title}</p>}
        description={message}
      />
      {onRetry ? (
        <Button variant="secondary" size="sm" onClick={onRetry}>
          <RefreshIcon className="size-4" /> Try again
        </Button>
      ) : null}
    </div>
  );
}

/** Placeholder rows while a table loads, shaped like the table. */
export function LoadingRows({
  columns,
  rows = 5,
  label = "Loading",
}: {
  columns: number;
  rows?: number;
  label?: string;
}) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="overflow-hidden rounded-lg border border-border bg-surface"
    >
      <span className="sr-only">{label}…</span>
      <div className="border-b border-border bg-surface-muted px-4 py-3">
        <Skeleton className="h-3 w-40" />
      </div>
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex gap-6 border-b border-border px-4 py-4 last:border-b-0">
          {Array.from({ length: columns }, (_, column) => (
            <Skeleton key={column} className={cx("h-3.5", column === 0 ? "w-44" : "w-24")} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return (
    <span aria-hidden="true" className={cx("block animate-pulse rounded bg-surface-muted", className)} />
  );
}
