"use client";

import { useCallback, useState } from "react";
import { Button } from "./button.tsx";
import { ChevronLeftIcon, ChevronRightIcon } from "./icons.tsx";

/**
 * Server-side paging by cursor: the server returns a page and the cursor of the next one; the
 * cursors of pages already seen are kept so "Previous" works. Reset when filters change.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const after = cursors.at(-1);
  return {
    after,
    pageNumber: cursors.length,
    next: useCallback((cursor: string) => setCursors((seen) => [...seen, cursor]), []),
    previous: useCallback(() => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)), []),
    reset: useCallback(() => setCursors([undefined]), []),
  };
}

export function CursorPager({
  pageNumber,
  nextCursor,
  onNext,
  onPrevious,
  isFetching,
}: {
  pageNumber: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  isFetching?: boolean;
}) {
  if (pageNumber === 1 && !nextCursor) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 pt-3">
      <span className="text-sm text-text-muted" aria-live="polite">
        Page {pageNumber}
      </span>
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" onClick={onPrevious} disabled={pageNumber === 1 || isFetching}>
          <ChevronLeftIcon className="size-4" /> Previous
        </Button>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => nextCursor && onNext(nextCursor)}
          disabled={!nextCursor || isFetching}
        >
          Next <ChevronRightIcon className="size-4" />
        </Button>
      </div>
    </nav>
  );
}

/** The pager under a list paged with `useCursorPages`, given the page the server returned. */
export function ListPager({
  pages,
  page,
}: {
  pages: ReturnType<typeof useCursorPages>;
  page: { data: { nextCursor: string | null }; isFetching: boolean };
}) {
  return (
    <CursorPager
      pageNumber={pages.pageNumber}
      nextCursor={page.data.nextCursor}
      onNext={pages.next}
      onPrevious={pages.previous}
      isFetching={page.isFetching}
    />
  );
}
