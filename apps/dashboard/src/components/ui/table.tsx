import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cx } from "./cx.ts";
import { ChevronDownIcon } from "./icons.tsx";

export function Table({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-surface">
      <table className="w-full border-collapse text-sm" aria-label={label}>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="border-b border-border bg-surface-muted text-left">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-border">{children}</tbody>;
}

export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx("align-middle", className)} {...props} />;
}

export function TH({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cx(
        "px-4 py-2.5 text-xs font-semibold tracking-wide text-text-muted uppercase whitespace-nowrap",
        className,
      )}
      {...props}
    />
  );
}

export function TD({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cx("px-4 py-3 text-text", className)} {...props} />;
}

// Row actions stay at the card's right edge when a wide table scrolls sideways inside it, so
// that they are never off-screen (their cells get the background the scrolled cells pass under).
const STICKY_ACTIONS = "sticky right-0 shadow-[inset_1px_0_0_var(--color-border)]";

/** The header of a column of row actions (a menu, buttons): named for screen readers only. */
export function ActionsTH() {
  return (
    <TH className={cx(STICKY_ACTIONS, "bg-surface-muted")}>
      <span className="sr-only">Actions</span>
    </TH>
  );
}

/** The cell of a row's actions, under ActionsTH. */
export function ActionsTD({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <TD className={cx(STICKY_ACTIONS, "bg-surface text-right", className)} {...props} />;
}

/** How a sortable column is sorted now, and how to sort by it (or turn its order around). */
export interface ColumnSort {
  direction: "ascending" | "descending" | null;
  onSort: () => void;
}

/**
 * The header of a column the list can be sorted by: a button that says what it does, and
 * `aria-sort` on the header for the column the list is sorted by now.
 */
export function SortableTH({
  header,
  sort,
  className,
}: {
  header: string;
  sort: ColumnSort;
  className?: string;
}) {
  const next = sort.direction === "ascending" ? "descending" : "ascending";
  return (
    <TH className={className} aria-sort={sort.direction ?? "none"}>
      <button
        type="button"
        onClick={sort.onSort}
        className="inline-flex cursor-pointer items-center gap-1 uppercase hover:text-text"
        title={`Sort by ${header.toLowerCase()}, ${next}`}
      >
        {header}
        <ChevronDownIcon
          aria-hidden="true"
          className={cx(
            "size-3.5 transition-transform",
            sort.direction === null && "opacity-30",
            sort.direction === "ascending" && "rotate-180",
          )}
        />
      </button>
    </TH>
  );
}
