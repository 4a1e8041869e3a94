import { describe, expect, it } from "vitest";
import { contentDisposition } from "./content-disposition.ts";

/** What a client following RFC 6266 reads back: `filename*` decoded. */
function decodedName(header: string): string {
  const match = /filename\*=UTF-8''([^;]+)$/.exec(header);
  if (!match?.[1]) throw new Error(`no filename* in ${header}`);
  return decodeURIComponent(match[1]);
}

describe("contentDisposition", () => {
  it("sends a plain name as is", () => {
    expect(contentDisposition("data.jsonl")).toBe(
      `attachment; filename="data.jsonl"; filename*=UTF-8''data.jsonl`,
    );
  });

  it.each([
    'quote " and backslash \\.txt',
    "Résumé 2026 (final)*.pdf",
    "数据.csv",
    "emoji 😀.png",
    "semi;colon, comma=equals'apostrophe.txt",
    "percent %41.txt",
  ])("round-trips %s exactly through filename* and keeps the fallback quoted ASCII", (name) => {
    const header = contentDisposition(name);
    expect(decodedName(header)).toBe(name);
    const fallback = /filename="([^"]*)"/.exec(header)?.[1] ?? "";
    expect(fallback).toMatch(/^[\x20-\x7e]*$/);
    expect(fallback).not.toMatch(/["\\]/);
    expect(header).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
  });
});
