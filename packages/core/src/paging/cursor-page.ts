/** One page of a list ordered newest first, and where the next one starts. */
export interface CursorPage<T> {
  items: T[];
  /** pass as `after` for the next page; null on the last page */
  nextCursor: string | null;
}

/** The page size asked for, within 1 to 100 (25 when not given). */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? 25, 1), 100);
}

/**
 * The findMany arguments of a page after the row `after`: newest first, with one row more than
 * the page, which tells whether another page follows.
 */
export function pageQuery(limit: number, after: string | undefined) {
  return {
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
    take: limit + 1,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  };
}

/** The page of rows read with pageQuery, each shown with `view`. */
export function toCursorPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): CursorPage<T> {
  const page = rows.slice(0, limit);
  return {
    items: page.map(view),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
