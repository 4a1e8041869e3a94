import { isIPv4, isIPv6 } from "node:net";

/**
 * The name under which a client address spends from a throttling budget (failed sign-ins,
 * failed OAuth client authentications). An IPv4 address is one budget. An IPv6 client usually
 * holds a whole /64 (RFC 6177: one per site, SLAAC and privacy addresses pick any of its 2^64
 * hosts), so counting each address alone would let one attacker take a fresh budget per guess;
 * the /64 is the budget instead. An IPv4 address written as IPv6 (`::ffff:192.0.2.1`, as a
 * dual-stack socket reports it) counts as that IPv4 address.
 */
export function addressBudgetKey(address: string): string {
  const plain = address.split("%", 1)[0] ?? address; // a zone index names the interface, not the host
  if (isIPv4(plain) || !isIPv6(plain)) return address;
  const groups = ipv6Groups(plain);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** the eight 16-bit groups of a valid IPv6 address (checked by isIPv6 before) */
function ipv6Groups(address: string): number[] {
  const [head = "", tail] = address.split("::", 2);
  const partsOf = (text: string) => (text === "" ? [] : text.split(":").flatMap(groupsOfPart));
  const first = partsOf(head);
  const last = tail === undefined ? [] : partsOf(tail);
  const zeros = Array.from({ length: 8 - first.length - last.length }, () => 0);
  return [...first, ...zeros, ...last];
}

/** one hextet, or two for a dotted IPv4 tail */
function groupsOfPart(part: string): number[] {
  if (!part.includes(".")) return [Number.parseInt(part, 16)];
  const [a = 0, b = 0, c = 0, d = 0] = part.split(".").map(Number);
  return [(a << 8) | b, (c << 8) | d];
}
