import { describe, expect, it } from "vitest";
import { addressBudgetKey } from "./address-budget.ts";

describe("addressBudgetKey", () => {
  it("gives an IPv4 address its own budget", () => {
    expect(addressBudgetKey("192.0.2.1")).toBe("192.0.2.1");
    expect(addressBudgetKey("192.0.2.2")).not.toBe(addressBudgetKey("192.0.2.1"));
  });

  it("gives every address of one IPv6 /64 the same budget, whatever its spelling", () => {
    const budget = addressBudgetKey("2001:db8:aa:1::1");
    expect(budget).toBe("2001:db8:aa:1::/64");
    for (const sibling of [
      "2001:db8:aa:1:ffff:ffff:ffff:ffff",
      "2001:0DB8:00aa:0001:0:0:0:9",
      "2001:db8:aa:1::1%eth0",
    ]) {
      expect(addressBudgetKey(sibling)).toBe(budget);
    }
    expect(addressBudgetKey("2001:db8:aa:2::1")).not.toBe(budget);
    expect(addressBudgetKey("::1")).toBe("0:0:0:0::/64");
    expect(addressBudgetKey("fe80::1:2:3:4")).toBe("fe80:0:0:0::/64");
  });

  it("counts an IPv4 address written as IPv6 as that IPv4 address", () => {
    expect(addressBudgetKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressBudgetKey("::ffff:c000:201")).toBe("192.0.2.1");
  });

  it("leaves what is not an IP address as it is (a local actor's name)", () => {
    expect(addressBudgetKey("unknown")).toBe("unknown");
    expect(addressBudgetKey("")).toBe("");
  });
});
