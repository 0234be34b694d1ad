/**
 * Values that look like personal data but belong to nobody: reserved for documentation, examples,
 * fiction, testing or a machine's own network. Code and docs are full of them (`127.0.1.1:41002`,
 * `admin@example.com`, `(212) 555-0123`, `203.0.113.5` in a test), and redacting them only hides what
 * the reader needs to see. Sources: IANA IPv4/IPv6 special-purpose address registries (RFC 6890, 5737,
 * 3849, 9637, 1918, 4193, 6598), RFC 2606 / 6761 reserved domain names, NANPA's 555-0100–0199 range for
 * fictional use.
 */
import { BlockList, isIPv4 } from 'node:net';

export type IpClass = 'public' | 'private' | 'reserved';

const RESERVED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", including the unspecified address
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1 (documentation)
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including the limited broadcast address
];
const PRIVATE_V4: [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
];
const RESERVED_V6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['100::', 64], // discard-only
];
const PRIVATE_V6: [string, number][] = [
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated)
];

const list = (v4: [string, number][], v6: [string, number][]) => {
  const b = new BlockList();
  for (const [a, p] of v4) b.addSubnet(a, p, 'ipv4');
  for (const [a, p] of v6) b.addSubnet(a, p, 'ipv6');
  return b;
};
const RESERVED = list(RESERVED_V4, RESERVED_V6);
const PRIVATE = list(PRIVATE_V4, PRIVATE_V6);

// An IPv4 address carried inside an IPv6 one is judged as that IPv4 address: mapped (`::ffff:10.1.2.3`),
// compatible (`::192.168.4.5`) and NAT64 (`64:ff9b::192.0.2.99`).
const EMBEDDED_V4 = /^(?:::(?:ffff(?::0{1,4})?:)?|0{0,4}:0{0,4}:0{0,4}:0{0,4}:0{0,4}:ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function ipClass(address: string): IpClass {
  const bare = address.replace(/%.*$/, ''); // zone id
  if (isIPv4(bare)) return RESERVED.check(bare, 'ipv4') ? 'reserved' : PRIVATE.check(bare, 'ipv4') ? 'private' : 'public';
  const v4 = EMBEDDED_V4.exec(bare)?.[1];
  if (v4 && isIPv4(v4)) return ipClass(v4);
  try {
    return RESERVED.check(bare, 'ipv6') ? 'reserved' : PRIVATE.check(bare, 'ipv6') ? 'private' : 'public';
  } catch {
    return 'public'; // not parseable by BlockList: keep reporting what the validator accepted
  }
}

// RFC 2606 second-level names and RFC 2606/6761 TLDs, plus the names of private networks (`.local`
// mDNS, `.internal`, `.lan`, `.home.arpa`): no mailbox there belongs to a person outside the machine.
const RESERVED_SLD = new Set(['example.com', 'example.org', 'example.net', 'example.edu']);
const RESERVED_TLD = new Set(['example', 'invalid', 'test', 'localhost', 'local', 'internal', 'lan', 'localdomain']);

/** The domain of an address is reserved for examples and tests, or names a private network. */
export function reservedDomain(domain: string): boolean {
  let end = domain.length;
  if (domain.charCodeAt(end - 1) === 46) end--; // a trailing dot
  const last = domain.lastIndexOf('.', end - 1);
  if (RESERVED_TLD.has(domain.slice(last + 1, end).toLowerCase())) return true;
  const d = domain.slice(0, end).toLowerCase();
  if (d.endsWith('.home.arpa')) return true;
  return last > 0 && RESERVED_SLD.has(d.slice(d.lastIndexOf('.', last - 1) + 1));
}

/** A North American number in the 555-0100–0199 range NANPA keeps for fiction and examples. */
export function fictionalNanp(nationalNumber: string): boolean {
  return /^[2-9]\d{2}55501\d\d$/.test(nationalNumber);
}
