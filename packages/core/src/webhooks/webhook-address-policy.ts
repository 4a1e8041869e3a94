import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import net from "node:net";
import { WEBHOOK_URL_MAX_LENGTH } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

// Addresses a webhook never reaches unless WEBHOOK_ALLOW_PRIVATE is set: otherwise anyone who
// may register an endpoint could make the platform send requests into its own network (the
// database, a metadata service at 169.254.169.254, an admin port on loopback). BlockList also
// matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges.
const REFUSED_RANGES: [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"], // "this network", with the unspecified address
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["224.0.0.0", 4, "ipv4"], // multicast
  ["240.0.0.0", 4, "ipv4"], // reserved, with the broadcast address
  ["::", 128, "ipv6"],
  ["::1", 128, "ipv6"],
  ["::", 96, "ipv6"], // IPv4-compatible (deprecated), which some stacks still route
  // Prefixes that carry an IPv4 address inside and reach it through a translator or a tunnel:
  // 64:ff9b::7f00:1 is 127.0.0.1 behind a NAT64 gateway. Refused whole rather than checked by
  // the address inside, as no receiver needs them.
  ["::ffff:0:0:0", 96, "ipv6"], // IPv4-translated (SIIT)
  ["64:ff9b::", 96, "ipv6"], // well-known NAT64
  ["64:ff9b:1::", 48, "ipv6"], // local-use NAT64
  ["2001::", 32, "ipv6"], // Teredo
  ["2002::", 16, "ipv6"], // 6to4
  ["100::", 64, "ipv6"], // discard
  ["fc00::", 7, "ipv6"], // unique local
  ["fe80::", 10, "ipv6"], // link-local
  ["fec0::", 10, "ipv6"], // site-local (deprecated)
  ["ff00::", 8, "ipv6"], // multicast
];

const refused = new net.BlockList();
for (const [address, prefix, family] of REFUSED_RANGES) refused.addSubnet(address, prefix, family);

/** Whether a webhook may be sent to this IP address without WEBHOOK_ALLOW_PRIVATE. */
export function isPublicAddress(address: string): boolean {
  const plain = address.split("%", 1)[0] ?? address; // a zone index names an interface: link-local
  const family = net.isIP(plain);
  if (family === 0) return false;
  return !refused.check(plain, family === 4 ? "ipv4" : "ipv6");
}

export interface WebhookAddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local receivers are allowed */
  allowPrivate: boolean;
}

/** A URL's host as net.isIP reads it: IPv6 literals lose their brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The URL's form: http or https, no credentials in it, and, when it names an IP address, one
 * the policy allows. Host names are checked when they are resolved (`resolveWebhookHost`).
 */
export function parseWebhookUrl(text: string, policy: WebhookAddressPolicy): URL {
  if (text.length > WEBHOOK_URL_MAX_LENGTH) {
    throw new DomainError("invalid", `The URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters.`, "url");
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError("invalid", "Enter a URL, such as https://example.com/webhooks.", "url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DomainError("invalid", "A webhook URL starts with https:// or http://.", "url");
  }
  if (url.username !== "" || url.password !== "") {
    throw new DomainError("invalid", "A webhook URL carries no user name or password.", "url");
  }
  if (url.hash !== "") throw new DomainError("invalid", "A webhook URL has no #fragment.", "url");
  const host = hostOf(url);
  if (net.isIP(host) !== 0 && !policy.allowPrivate && !isPublicAddress(host)) {
    throw new DomainError("invalid", refusalMessage(host), "url");
  }
  return url;
}

const refusalMessage = (address: string) =>
  `Webhooks are not sent to private, loopback, link-local or reserved addresses (${address}).`;

export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

/** Every address the system resolver gives for a host name. */
export const systemHostLookup: HostLookup = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/**
 * Resolves a URL's host and checks every address it resolves to: one refused address refuses
 * the host (a name that resolves to a public and a private address would otherwise reach the
 * private one on some attempts). Returns the addresses that may be connected to.
 */
export async function resolveWebhookHost(
  url: URL,
  policy: WebhookAddressPolicy,
  lookup: HostLookup = systemHostLookup,
): Promise<LookupAddress[]> {
  const host = hostOf(url);
  const family = net.isIP(host);
  if (family !== 0) {
    if (!policy.allowPrivate && !isPublicAddress(host))
      throw new DomainError("invalid", refusalMessage(host), "url");
    return [{ address: host, family }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host);
  } catch {
    throw new DomainError("invalid", `The host name ${host.slice(0, 253)} does not resolve.`, "url");
  }
  if (addresses.length === 0)
    throw new DomainError("invalid", `The host name ${host.slice(0, 253)} does not resolve.`, "url");
  if (!policy.allowPrivate) {
    const bad = addresses.find((entry) => !isPublicAddress(entry.address));
    if (bad) throw new DomainError("invalid", refusalMessage(bad.address), "url");
  }
  return addresses;
}
