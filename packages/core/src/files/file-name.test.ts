import { describe, expect, it } from "vitest";
import { checkFilename } from "./file-name.ts";

describe("checkFilename", () => {
  it("keeps ordinary names as they are, Unicode included", () => {
    for (const name of [
      "data.jsonl",
      "Résumé 2026 (final).pdf",
      "数据.csv",
      "a",
      ".env",
      "x".repeat(255),
      "é".repeat(127),
    ]) {
      expect(checkFilename(name)).toBe(name);
    }
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["a slash", "a/b.txt"],
    ["a backslash", "..\\windows\\system.ini"],
    ["a parent reference", "../../etc/passwd"],
    ["a dot", "."],
    ["two dots", ".."],
    ["a NUL", "a\u0000.txt"],
    ["a newline", "a\r\nContent-Type: text/html"],
    ["a tab", "a\tb"],
    ["DEL", "a\u007f"],
    ["a C1 control", "a\u0085b"],
    ["a right-to-left override", "invoice\u202Etxt.exe"],
    ["a lone surrogate", "a\uD800b"],
    ["1,000 characters", "x".repeat(1000)],
    ["256 bytes", "x".repeat(256)],
    ["128 two-byte characters (256 bytes)", "é".repeat(128)],
  ])("refuses %s", (_name, filename) => {
    expect(() => checkFilename(filename)).toThrowError(
      expect.objectContaining({ code: "invalid", param: "file", reason: "invalid_filename" }),
    );
  });
});
