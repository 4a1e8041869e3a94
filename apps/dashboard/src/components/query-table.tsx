"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "../trpc/errors.ts";
import { ListPager, type useCursorPages } from "./ui/cursor-pager.tsx";
import { ErrorState, LoadingRows } from "./ui/states.tsx";
import { ActionsTH, type ColumnSort, SortableTH, Table, TBody, TH, THead, TR } from "./ui/table.tsx";

/**
 * A column's header, with the class of its header cell when it has one and its sort when the
 * list can be sorted by it; `false` leaves it out.
 */
export type QueryTableColumn = string | { header: string; className?: string; sort?: ColumnSort } | false;

/**
 * A list as every page shows it: placeholder rows while the query loads, the error in words
 * with a retry, `empty` when it lists nothing, else a table of one `row` per item. The query
 * answers a whole list, or one page of it (`{ items, nextCursor }`) with its pager under the table.
 */
export function QueryTable<Row>({
  query,
  label,
  loadingLabel,
  loadingRows,
  columns,
  hasActions = false,
  empty,
  row,
  pages,
}: {
  query:
    | UseQueryResult<readonly Row[], unknown>
    | UseQueryResult<{ items: readonly Row[]; nextCursor: string | null }, unknown>;
  /** the table's name for screen readers (and tests) */
  label: string;
  /** what screen readers hear while it loads */
  loadingLabel: string;
  /** how many placeholder rows (default 5) */
  loadingRows?: number;
  columns: QueryTableColumn[];
  /** a last column of row actions, named for screen readers only */
  hasActions?: boolean;
  empty: ReactNode;
  /** one row (`<TR key=…>`) per item */
  row: (item: Row) => ReactNode;
  /** the cursors of a paged list (useCursorPages) */
  pages?: ReturnType<typeof useCursorPages>;
}) {
  const headers = columns.flatMap((column) =>
    column === false ? [] : [typeof column === "string" ? { header: column } : column],
  );
  if (query.isPending) {
    return <LoadingRows columns={headers.length} rows={loadingRows} label={loadingLabel} />;
  }
  if (query.isError) {
    return <ErrorState message={errorMessage(query.error)} onRetry={() => query.refetch()} />;
  }
  const { data } = query;
  const rows = "items" in data ? data.items : data;
  if (rows.length === 0) return empty;
  return (
    <>
      <Table label={label}>
        <THead>
          <TR>
            {headers.map(({ header, className, sort }) =>
              sort ? (
                <SortableTH key={header} header={header} sort={sort} className={className} />
              ) : (
                <TH key={header} className={className}>
                  {header}
                </TH>
              ),
            )}
            {hasActions ? <ActionsTH /> : null}
          </TR>
        </THead>
        <TBody>{rows.map(row)}</TBody>
      </Table>
      {pages && "items" in data ? (
        <ListPager pages={pages} page={{ data, isFetching: query.isFetching }} />
      ) : null}
    </>
  );
}
