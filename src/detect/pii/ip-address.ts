/**
 * IPv4 and IPv6 addresses, validated by Node's own parser (`net.isIPv4/6`), with the boundaries that keep
 * versions (`1.2.3.4` after "version"), OIDs, times, C++/Rust paths (`std::cout`) and slices (`[::2]`) out.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Detection } from '../types.js';
import { before, isBareValue, isIdentChar } from './boundaries.js';

const V4 = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
// Hex groups and colons, optionally ending in an embedded IPv4 or a zone id (`fe80::7:1%en0`).
const V6 = /(?:[0-9A-Fa-f]{0,4}:){2,8}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?:%[0-9A-Za-z]{1,15})?/y;

// Version strings and package pins: `v1.2.3.4`, `version 10.0.0.1`, `==1.2.3.4`, `@1.2.3.4`.
const VERSION_CONTEXT = /(?:\bv|version|ver\.?|release|build|@|==|>=|<=|~=|\^|~|oid|\bsnmp)\s*[:=]?\s*$/;

export function findIpAddresses(text: string, out: Detection[]): void {
  if (text.indexOf('.') >= 0) findV4(text, out);
  if (text.indexOf(':') >= 0) findV6(text, out);
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
    if (isIdentChar(text[end]) || text[end] === ':' || text[end] === '.' && /\w/.test(text[end + 1] ?? '')) continue;
    const value = m[0];
    if (!isIPv6(value)) continue;
    const groups = value.split(':').filter((g) => g.length > 0).length;
    // `::`, `::1`: short enough to be a path separator (` ::std`) or a slice (`[::2]`); only whole words count.
    if (groups < 2 && !isBareValue(text, start, end) && !(/^\s?$/.test(prev ?? '') && /^[\s,;)/]?$/.test(text[end] ?? ''))) continue;
    out.push({ rule: 'ip-address', type: 'ip-address', category: 'pii', start, end, confidence: 0.85 });
  }
}
