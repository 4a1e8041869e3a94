import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address.ts";

describe("clientAddress", () => {
  it("takes the X-Forwarded-For entry nearest to this server", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ "x-forwarded-for": "198.51.100.1, 203.0.113.9" }))).toBe(
      "203.0.113.9",
    );
    expect(clientAddress({ "x-forwarded-for": "::ffff:127.0.0.1" })).toBe("127.0.0.1");
    expect(clientAddress({ "x-forwarded-for": ["10.0.0.1", "10.0.0.2"] })).toBe("10.0.0.2");
  });

  it("says unknown without one, and bounds its length", () => {
    expect(clientAddress(new Headers())).toBe("unknown");
    expect(clientAddress({})).toBe("unknown");
    expect(clientAddress({ "x-forwarded-for": "x".repeat(500) })).toHaveLength(64);
  });
});
