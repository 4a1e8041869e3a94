import { describe, expect, it } from "vitest";
import { ID_PREFIX, newId, randomBase62 } from "./public-id.ts";

const BASE62 = /^[0-9A-Za-z]+$/;

describe("public ids", () => {
  it("carry their kind's prefix and 24 base62 characters", () => {
    for (const kind of Object.keys(ID_PREFIX) as (keyof typeof ID_PREFIX)[]) {
      const id = newId(kind);
      expect(id.startsWith(ID_PREFIX[kind])).toBe(true);
      const rest = id.slice(ID_PREFIX[kind].length);
      expect(rest).toHaveLength(24);
      expect(rest).toMatch(BASE62);
    }
  });

  it("draws any length asked for, and never the same string twice", () => {
    for (const length of [1, 7, 24, 48, 300]) expect(randomBase62(length)).toHaveLength(length);
    const seen = new Set(Array.from({ length: 20_000 }, () => randomBase62(24)));
    expect(seen.size).toBe(20_000);
  });

  it("uses every character equally often (no modulo bias)", () => {
    // 620,000 characters: 10,000 expected per character. `byte % 62` without rejection would
    // give the first eight characters 5/256 instead of 4/256 (25 % more), which this sees at once.
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      for (const character of randomBase62(31)) counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = 10_000;
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    // 61 degrees of freedom: the 99.99th percentile is about 114
    expect(chiSquare).toBeLessThan(114);
  });
});
