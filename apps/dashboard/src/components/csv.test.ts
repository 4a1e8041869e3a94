import { describe, expect, it } from "vitest";
import { csvCell, csvFile, toCsv } from "./csv.ts";

describe("toCsv", () => {
  it("writes a header, one line per row and quotes what needs quoting", () => {
    const rows = [
      { name: 'Acme, "Inc"', count: 3, at: new Date("2026-12-01T10:00:00.000Z") },
      { name: "line\nbreak", count: 0, at: null },
    ];
    const text = toCsv(
      [
        { header: "name", value: (row) => row.name },
        { header: "count", value: (row) => row.count },
        { header: "at", value: (row) => row.at },
      ],
      rows,
    );
    expect(text).toBe('name,count,at\r\n"Acme, ""Inc""",3,2026-12-01T10:00:00.000Z\r\n"line\nbreak",0,\r\n');
  });

  it("keeps spreadsheet formulas from running", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-2,3")).toBe(`"'-2,3"`);
    expect(csvCell(-2)).toBe("-2");
    expect(csvCell("user-1")).toBe("user-1");
  });
});

describe("csvFile", () => {
  it("starts with a UTF-8 byte-order mark, so that Excel reads accented names right", async () => {
    const file = csvFile("name\r\nZoë\r\n");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe("\uFEFFname\r\nZoë\r\n");
    expect(file.type).toBe("text/csv;charset=utf-8");
  });
});
