/**
 * CSV for the dashboard's exports (usage, audit log, deletion register), made in the browser from
 * rows the page already fetched through tRPC, so an export obeys the same role rules as the page.
 */

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | Date | null | undefined;
}

/** RFC 4180 text with a header line and CRLF line ends. */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => csvCell(column.header))];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))));
  return `${lines.map((cells) => cells.join(",")).join("\r\n")}\r\n`;
}

// A spreadsheet runs a cell that starts with one of these as a formula: an end-user id or a key
// name chosen by an outsider must not become one on a compliance officer's machine (OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Excel reads a CSV without a byte-order mark in the machine's legacy code page, which garbles
 * names with accents; the mark makes it read UTF-8, and other readers skip it.
 */
export const UTF8_BOM = "\uFEFF";

/** The file a CSV download holds: the text after a UTF-8 byte-order mark. */
export function csvFile(text: string): Blob {
  return new Blob([UTF8_BOM, text], { type: "text/csv;charset=utf-8" });
}

/** Offers the text as a file download. */
export function downloadCsv(filename: string, text: string): void {
  const url = URL.createObjectURL(csvFile(text));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  // Firefox and Safari start the download after click() returns: revoking the address at once
  // can cancel it, so it is revoked once the download has had time to begin
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
