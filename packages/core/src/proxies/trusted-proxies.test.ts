import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { believeTrustedProxiesOnly, parseTrustedProxies, trustedProxyCheck } from "./trusted-proxies.ts";

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

describe("believeTrustedProxiesOnly (the dashboard's forwarding headers)", () => {
  const behindLoopbackProxy = trustedProxyCheck(parseTrustedProxies("loopback"));
  const trustingNobody = trustedProxyCheck([]);

  it("without trusted proxies, drops what a client claims and names the peer", () => {
    const headers: IncomingHttpHeaders = {
      "x-forwarded-for": "203.0.113.9, 198.51.100.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
      host: "dashboard.example",
    };
    believeTrustedProxiesOnly(headers, "192.0.2.7", trustingNobody);
    expect(headers).toEqual({ "x-forwarded-for": "192.0.2.7", host: "dashboard.example" });
  });

  it("behind a trusted proxy, keeps its headers and takes the nearest address it does not trust", () => {
    const headers: IncomingHttpHeaders = {
      "x-forwarded-for": "6.6.6.6, 203.0.113.9, 127.0.0.1",
      "x-forwarded-proto": "https",
    };
    believeTrustedProxiesOnly(headers, "127.0.0.1", behindLoopbackProxy);
    expect(headers).toEqual({ "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" });
  });

  it("a peer outside the trusted proxies is the client, whatever it forwards", () => {
    const headers: IncomingHttpHeaders = { "x-forwarded-for": "127.0.0.1" };
    believeTrustedProxiesOnly(headers, "198.51.100.4", behindLoopbackProxy);
    expect(headers).toEqual({ "x-forwarded-for": "198.51.100.4" });
  });

  it("applies before a Node HTTP server's handler sees the request (the dashboard's preload)", async () => {
    const listener = (message: unknown) => {
      const { request, socket } = message as { request: IncomingMessage; socket: Socket };
      believeTrustedProxiesOnly(request.headers, socket.remoteAddress ?? "", trustingNobody);
    };
    subscribe("http.server.request.start", listener);
    const server = createServer((request, response) =>
      response.end(String(request.headers["x-forwarded-for"])),
    );
    try {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-forwarded-for": "6.6.6.6" } });
      expect(await answer.text()).toBe("127.0.0.1");
    } finally {
      unsubscribe("http.server.request.start", listener);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
