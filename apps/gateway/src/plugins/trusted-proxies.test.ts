import { describe, expect, it } from "vitest";
import { parseTrustedProxies, trustedProxyCheck } from "./trusted-proxies.ts";

describe("TRUST_PROXY", () => {
  it("reads addresses, CIDRs and named ranges; nothing set trusts nobody", () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies("")).toEqual([]);
    expect(parseTrustedProxies("false")).toEqual([]);
    expect(parseTrustedProxies("loopback, 10.0.0.0/8,2001:db8::1 ,fd00::/8")).toEqual([
      "loopback",
      "10.0.0.0/8",
      "2001:db8::1",
      "fd00::/8",
    ]);
  });

  it("refuses trusting every address, and names an entry that is not an address", () => {
    expect(() => parseTrustedProxies("true")).toThrow(/forge X-Forwarded-For/);
    expect(() => parseTrustedProxies("1")).toThrow(/name the proxies/);
    for (const bad of ["proxy.example", "10.0.0.0/33", "::1/129", "10.0.0.1/8/1", "10.0.0.0/", "*"]) {
      expect(() => parseTrustedProxies(`loopback,${bad}`), bad).toThrow(/is not an IP address/);
    }
  });

  it("matches the listed addresses, IPv4-mapped IPv6 included, and nothing else", () => {
    const isTrusted = trustedProxyCheck(parseTrustedProxies("loopback,10.0.0.0/8,192.0.2.10"));
    for (const address of ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1", "10.255.0.1", "192.0.2.10"]) {
      expect(isTrusted(address), address).toBe(true);
    }
    for (const address of ["192.0.2.11", "11.0.0.1", "::2", "::ffff:203.0.113.1", "", "not-an-ip"]) {
      expect(isTrusted(address), address).toBe(false);
    }
    expect(trustedProxyCheck([])("127.0.0.1")).toBe(false);
  });
});
