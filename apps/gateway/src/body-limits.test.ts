import { describe, expect, it } from "vitest";
import { chatBodyLimitFor } from "./body-limits.ts";

describe("chatBodyLimitFor", () => {
  const MiB = 1024 * 1024;
  it("grows with the largest context window, between 2 MiB and the gateway's body limit", () => {
    expect(chatBodyLimitFor(8_192, 10 * MiB)).toBe(2 * MiB);
    expect(chatBodyLimitFor(128_000, 10 * MiB)).toBe(128_000 * 32);
    expect(chatBodyLimitFor(1_000_000, 10 * MiB)).toBe(10 * MiB);
    expect(chatBodyLimitFor(8_192, MiB)).toBe(MiB);
  });
});
