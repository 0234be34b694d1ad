/**
 * IPv4 and IPv6 addresses, validated by Node's own parser (`net.isIPv4/6`), with the boundaries that keep
 * versions (`1.2.3.4` after "version"), OIDs, times, C++/Rust paths (`std::cout`) and slices (`[::2]`) out.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Detection } from '../types.js';
import { before, isBareValue, isIdentChar } from './boundaries.js';
import { ipClass } from './reserved.js';

/** Rule of a match that claims its characters (overlap resolution) but is not reported. */
export const QUIET = 'quiet';

export interface IpOptions {
  /** Report private-network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7); default off. */
  includePrivate?: boolean;
  /** Report addresses that are never a person's: loopback, unspecified, link-local, multicast, broadcast, documentation, benchmarking; default off. */
  includeReserved?: boolean;
}

const V4 = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
// Hex groups and colons, optionally ending in an embedded IPv4 or a zone id (`fe80::7:1%en0`).
const V6 = /(?:[0-9A-Fa-f]{0,4}:){2,8}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?:%[0-9A-Za-z]{1,15})?/y;

// Version strings and package pins: `v1.2.3.4`, `version 10.0.0.1`, `==1.2.3.4`, `@1.2.3.4`; section and
// step numbers of specs (`section 19.6.1.2`, `§5.2.2.10`, `case '1.3.101.110':` in an OID table).
const VERSION_CONTEXT = /(?:\bv|version|ver\.?|release|build|@|==|>=|<=|~=|\^|~|oid|\bsnmp|§|\bsection|\bsect?\.|\bstep|\bclause|\bchapter|\bpara(?:graph)?|\bappendix|\bannex|\bcase\s+['"])\s*[:=]?\s*$/;
// A dotted number heading a comment line, alone or as a numbered step (`// 4.2.6.1`, `// 5.2.1.1. Append …`),
// also in a `cat -n` listing.
const COMMENT_HEAD = /(?:^|\n)[ \t]*(?:\d+(?:\t|: |[ \t]?\| |→))?[ \t]*(?:\/\/+|#+|\*|--|;+)[ \t]*$/;
const STEP_TAIL = /^(?:[ \t]*(?:\r?\n|$)|\.[ \t]+[A-Z])/;

/**
 * An address on the machine or a private network names infrastructure, not a person, and one reserved
 * for documentation names nothing: only public addresses are personal data by default.
 */
export function findIpAddresses(text: string, out: Detection[], opts: IpOptions = {}): void {
  const found: Detection[] = [];
  if (text.indexOf('.') >= 0) findV4(text, found);
  if (text.indexOf(':') >= 0) findV6(text, found);
  for (const d of found) {
    const cls = ipClass(text.slice(d.start, d.end));
    // Not reported, but still an address: it keeps its characters from being read as a phone number.
    if (!(cls === 'public' || (cls === 'private' && opts.includePrivate) || (cls === 'reserved' && opts.includeReserved))) d.rule = QUIET;
    out.push(d);
  }
}

function findV4(text: string, out: Detection[]): void {
  V4.lastIndex = 0;
  for (let m = V4.exec(text); m; m = V4.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const prev = text[start - 1];
    // `::ffff:1.2.3.4` is reported as IPv6; `python-3.4.2.4` is a version.
    if (isIdentChar(prev) || prev === '.' || prev === ':' || prev === '-') continue;
    if (isIdentChar(text[end]) || (text[end] === '.' && /\d/.test(text[end + 1] ?? ''))) continue;
    if (!isIPv4(m[0])) continue; // rejects 256+ and leading zeros (`0200`)
    if (VERSION_CONTEXT.test(before(text, start, 12))) continue;
    if (COMMENT_HEAD.test(text.slice(Math.max(0, start - 24), start)) && STEP_TAIL.test(text.slice(end, end + 4))) continue;
    out.push({ rule: 'ip-address', type: 'ip-address', category: 'pii', start, end, confidence: 0.9 });
  }
}

/**
 * IPv6 candidates start at most four hex digits before a colon, so the pattern is tried (sticky) only
 * there: hex letters and colons are everywhere in code (`a: string`, `0xfe`), and a forward scan would
 * try it at every character.
 */
function findV6(text: string, out: Detection[]): void {
  let from = 0;
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', Math.max(colon + 1, from))) {
    let m: RegExpExecArray | null = null;
    for (let p = Math.max(from, colon - 4); p <= colon && !m; p++) {
      V6.lastIndex = p;
      m = V6.exec(text);
    }
    if (!m) continue;
    const start = m.index;
    const end = start + m[0].length;
    from = end;
    const prev = text[start - 1];
    if (isIdentChar(prev) || prev === ':' || prev === '.') continue;
    // Followed by `.` and more (`'::ffff:127.'` in a prefix test): part of something longer, not an address.
    if (isIdentChar(text[end]) || text[end] === ':' || (text[end] === '.' && /\S/.test(text[end + 1] ?? ''))) continue;
    const value = m[0];
    if (!isIPv6(value)) continue;
    const groups = value.split(':').filter((g) => g.length > 0).length;
    // `::`, `::1`: short enough to be a path separator (` ::std`) or a slice (`[::2]`); only whole words count.
    if (groups < 2 && !isBareValue(text, start, end) && !(/^\s?$/.test(prev ?? '') && /^[\s,;)/]?$/.test(text[end] ?? ''))) continue;
    out.push({ rule: 'ip-address', type: 'ip-address', category: 'pii', start, end, confidence: 0.85 });
  }
}
