import { USAGE_OTHER_ERROR_STATUS } from "@dsc/trpc/schemas";
import { Section } from "../ui/page-header.tsx";
import { TBody, TD, TH, THead, TR } from "../ui/table.tsx";
import { errorStatusRows, type UsageFigures } from "./usage-data.ts";
import { formatCount, formatPercent } from "./usage-format.ts";

const STATUS_NAMES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  408: "Request timeout",
  409: "Conflict",
  413: "Content too large",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout",
};

/** The range's errors by HTTP status, each with a bar of its share. */
export function ErrorStatusTable({ totals }: { totals: UsageFigures }) {
  const rows = errorStatusRows(totals);
  return (
    <Section
      title="Errors by status"
      description="Responses with a status of 400 or more in this range, the most frequent first."
    >
      {rows.length === 0 ? (
        <p className="text-sm text-text-muted">No request of this range failed.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Errors by status</caption>
            <THead>
              <TR>
                <TH>Status</TH>
                <TH className="text-right">Errors</TH>
                <TH className="w-1/2">Share of the errors</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((row) => (
                <TR key={row.status}>
                  <th scope="row" className="px-4 py-3 text-left font-normal text-text">
                    {row.status === USAGE_OTHER_ERROR_STATUS ? (
                      "Other statuses"
                    ) : (
                      <>
                        <span className="font-semibold tabular-nums">{row.status}</span>{" "}
                        <span className="text-text-muted">{STATUS_NAMES[row.status] ?? ""}</span>
                      </>
                    )}
                  </th>
                  <TD className="text-right tabular-nums">{formatCount(row.count)}</TD>
                  <TD>
                    <span className="flex items-center gap-2">
                      <span
                        aria-hidden="true"
                        className="h-2 flex-1 overflow-hidden rounded-full bg-surface-muted"
                      >
                        <span className="block h-full bg-danger" style={{ width: `${row.share * 100}%` }} />
                      </span>
                      <span className="w-12 text-right text-xs text-text-muted tabular-nums">
                        {formatPercent(row.share)}
                      </span>
                    </span>
                  </TD>
                </TR>
              ))}
            </TBody>
          </table>
        </div>
      )}
    </Section>
  );
}
