import type { IncomingHttpHeaders } from "node:http";
import net from "node:net";

/**
 * The proxies in front of the gateway whose X-Forwarded-For and X-Forwarded-Proto are believed:
 * addresses, CIDRs, and the names `loopback`, `linklocal` and `uniquelocal` for their ranges
 * (the forms Fastify's `trustProxy` takes). Trusting every address is not offered: any client
 * could then claim to be another address, or to have arrived over HTTPS.
 */
export type TrustedProxies = readonly string[];

const NAMED_RANGES: Record<string, [string, number, "ipv4" | "ipv6"][]> = {
  loopback: [
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
  ],
  linklocal: [
    ["169.254.0.0", 16, "ipv4"],
    ["fe80::", 10, "ipv6"],
  ],
  uniquelocal: [
    ["10.0.0.0", 8, "ipv4"],
    ["172.16.0.0", 12, "ipv4"],
    ["192.168.0.0", 16, "ipv4"],
    ["fc00::", 7, "ipv6"],
  ],
};

const familyOf = (address: string) => (net.isIPv6(address) ? "ipv6" : "ipv4");

/** TRUST_PROXY's text as a list; throws, naming the entry, when one is not a proxy's address. */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const value = (text ?? "").trim();
  if (value === "" || value === "false" || value === "0") return [];
  if (value === "true" || value === "1") {
    throw new Error(
      "trusting every address lets any client forge X-Forwarded-For and X-Forwarded-Proto; " +
        "name the proxies: addresses or CIDRs, comma-separated, or loopback",
    );
  }
  const entries = value.split(",").map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isProxyEntry(entry)) {
      throw new Error(
        `'${entry.slice(0, 64)}' is not an IP address, a CIDR, loopback, linklocal or uniquelocal`,
      );
    }
  }
  return entries;
}

function isProxyEntry(entry: string): boolean {
  if (entry in NAMED_RANGES || net.isIP(entry) !== 0) return true;
  const [address = "", bits, ...rest] = entry.split("/");
  if (rest.length > 0 || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = net.isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Whether an address is one of the trusted proxies. Node's BlockList matches IPv4 rules against
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) too, as a dual-stack socket reports them.
 */
export function trustedProxyCheck(proxies: TrustedProxies): (address: string) => boolean {
  if (proxies.length === 0) return () => false;
  const list = new net.BlockList();
  for (const entry of proxies) {
    const named = NAMED_RANGES[entry];
    if (named) {
      for (const [address, bits, family] of named) list.addSubnet(address, bits, family);
    } else if (entry.includes("/")) {
      const [address = "", bits = ""] = entry.split("/");
      list.addSubnet(address, Number(bits), familyOf(address));
    } else {
      list.addAddress(entry, familyOf(entry));
    }
  }
  return (address) => net.isIP(address) !== 0 && list.check(address, familyOf(address));
}

/** The headers a proxy sets to say whom it relays; believed only from a trusted proxy. */
export const FORWARDING_HEADERS: readonly string[] = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-real-ip",
];

/**
 * The client's address as a server behind the trusted proxies should see it: the peer itself
 * unless it is a trusted proxy, else the nearest X-Forwarded-For entry (read from the right)
 * that is not one, as Fastify's `trustProxy` reads it. What a client wrote further left is
 * never believed.
 */
export function forwardedClientAddress(
  peer: string,
  forwardedFor: string | undefined,
  isTrusted: (address: string) => boolean,
): string {
  let client = peer;
  if (!isTrusted(client)) return client;
  const hops = (forwardedFor ?? "").split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = (hops[i] ?? "").trim();
    if (hop === "") continue;
    client = hop;
    if (!isTrusted(hop)) break;
  }
  return client;
}

/**
 * For a server that reads X-Forwarded-For itself (the dashboard): the forwarding headers stay
 * only when the peer is a trusted proxy, and X-Forwarded-For becomes the one client address
 * that `forwardedClientAddress` finds, so that whoever reads its last entry reads that.
 */
export function believeTrustedProxiesOnly(
  headers: IncomingHttpHeaders,
  peer: string,
  isTrusted: (address: string) => boolean,
) {
  const forwardedFor = headers["x-forwarded-for"];
  const client = forwardedClientAddress(
    peer,
    Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor,
    isTrusted,
  );
  if (!isTrusted(peer)) for (const name of FORWARDING_HEADERS) delete headers[name];
  headers["x-forwarded-for"] = client;
}
