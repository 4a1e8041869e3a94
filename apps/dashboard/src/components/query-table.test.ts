import type { UseQueryResult } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { QueryTable } from "./query-table.tsx";
import type { useCursorPages } from "./ui/cursor-pager.tsx";

type Row = { id: string };
type Page = { items: Row[]; nextCursor: string | null };

const settled = {
  isPending: false,
  isError: false,
  isFetching: false,
  error: null,
  refetch: async () => ({}),
};
const listOf = (data: Row[]) => ({ ...settled, data }) as unknown as UseQueryResult<Row[], unknown>;
const pageOf = (data: Page) => ({ ...settled, data }) as unknown as UseQueryResult<Page, unknown>;
const firstPage: ReturnType<typeof useCursorPages> = {
  after: undefined,
  pageNumber: 1,
  next: () => {},
  previous: () => {},
  reset: () => {},
};

function render(
  query: UseQueryResult<Row[], unknown> | UseQueryResult<Page, unknown>,
  pages?: ReturnType<typeof useCursorPages>,
) {
  return renderToStaticMarkup(
    createElement(QueryTable<Row>, {
      query,
      label: "Things",
      loadingLabel: "Loading things",
      columns: ["Name", false, { header: "Count", className: "text-right" }],
      hasActions: true,
      empty: createElement("p", null, "Nothing yet"),
      row: (row) => createElement("tr", { key: row.id }, createElement("td", null, row.id)),
      pages,
    }),
  );
}

describe("QueryTable", () => {
  it("shows placeholder rows while loading, and the error with a retry when the query failed", () => {
    expect(render({ ...settled, isPending: true } as unknown as UseQueryResult<Row[], unknown>)).toMatch(
      /role="status".*Loading things/,
    );
    const failed = render({ ...settled, isError: true, error: new Error("x") } as never);
    expect(failed).toContain('role="alert"');
    expect(failed).toContain("Try again");
  });

  it("shows the empty state for an empty list or page, without a table or a pager", () => {
    expect(render(listOf([]))).toBe("<p>Nothing yet</p>");
    expect(render(pageOf({ items: [], nextCursor: null }), firstPage)).toBe("<p>Nothing yet</p>");
  });

  it("names the table, leaves out false columns, adds the actions column and renders a row per item", () => {
    const html = render(listOf([{ id: "a" }, { id: "b" }]));
    expect(html).toContain('aria-label="Things"');
    expect([...html.matchAll(/<th [^>]*>(.*?)<\/th>/g)].map((match) => match[1])).toEqual([
      "Name",
      "Count",
      '<span class="sr-only">Actions</span>',
    ]);
    expect(html).toContain("<tr><td>a</td></tr><tr><td>b</td></tr>");
    expect(html).not.toContain('aria-label="Pages"');
  });

  it("makes a sortable column's header a button, with aria-sort on the column sorted by", () => {
    const sorted = (direction: "ascending" | "descending" | null) =>
      renderToStaticMarkup(
        createElement(QueryTable<Row>, {
          query: listOf([{ id: "a" }]),
          label: "Things",
          loadingLabel: "Loading things",
          columns: [{ header: "Name", sort: { direction, onSort: () => {} } }, "Count"],
          empty: null,
          row: (row) => createElement("tr", { key: row.id }),
        }),
      );
    expect(sorted("ascending")).toMatch(
      /<th [^>]*aria-sort="ascending"[^>]*><button type="button"[^>]*>Name/,
    );
    expect(sorted("descending")).toContain('aria-sort="descending"');
    expect(sorted(null)).toContain('aria-sort="none"');
    // a column the list cannot be sorted by says nothing about sorting
    expect(sorted(null).match(/aria-sort/g)).toHaveLength(1);
  });

  it("puts the pager under a page that has a next one", () => {
    const html = render(pageOf({ items: [{ id: "a" }], nextCursor: "cursor" }), firstPage);
    expect(html).toMatch(/<\/table><\/div><nav aria-label="Pages"/);
  });
});
