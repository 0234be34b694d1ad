/**
 * Email addresses (RFC 5321 dot-atom local part, DNS or punycode domain), minus code look-alikes.
 *
 * Anchored at each `@`: the local part is read backwards from it, at most 64 characters (RFC 5321
 * §4.5.3.1.1), and the domain forwards with a sticky regex. A forward regex over the whole text would try
 * every start inside a long atext run (a base64 data URI, `a.a.a.…`) and read to the run's end each time:
 * quadratic, seconds on a few hundred kilobytes. This way every character is read a bounded number of times.
 */
import type { Detection } from '../types.js';
import { isIdentChar } from './boundaries.js';
import { QUIET } from './ip-address.js';
import { reservedDomain } from './reserved.js';

export interface EmailOptions {
  /** Report mailboxes at domains reserved for examples and tests (example.com, .test, .invalid, .local…); default off. */
  includeReserved?: boolean;
}

// `scheme://user:password@host`: the part between `://` and `@` is URL user-info (the secret scanner's
// business), not a mailbox. `${…}` placeholders may stand in the user-info of a template.
const USERINFO = /^(?:[^/@\s$]|\$\{[^}\n]*\}|\$)*$/;
const SCHEME_END = /[a-z][a-z0-9+.-]*$/i;
const ALNUM = /[A-Za-z0-9]/;
/** Longest user-info looked at. */
const MAX_USERINFO = 160;
// What may stand before a colon that introduces an address (`Email:ann@…`, `mailto:ann@…`); any other word is a user name.
const ADDRESS_LABEL = /(?:^|[^\w-])(?:mailto|e-?mail|mail|contact|from|to|cc|bcc|reply-to|sender|recipient|author|owner|maintainer|by|address|addr|at):$/i;

/** RFC 5321: a local part holds at most 64 octets. */
const MAX_LOCAL = 64;

// RFC 5322 atext (without the rarely used quoting), as a table over ASCII.
const ATEXT = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-") ATEXT[c.charCodeAt(0)] = 1;
const isAtext = (c: number) => c < 128 && ATEXT[c] === 1;

// Domain labels may not start or end with '-'; at most 127 labels (a domain is at most 253 characters).
const DOMAIN = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,127}(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})(?![A-Za-z0-9-])/y;

// `icon@2x.png`, `pkg@1.2.3.tgz`: a file name, not a mailbox.
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'json', 'css',
  'scss', 'html', 'md', 'txt', 'yaml', 'yml', 'toml', 'lock', 'tgz', 'gz', 'zip', 'map', 'py', 'rb', 'go',
  'rs', 'java', 'kt', 'swift', 'wasm', 'so', 'dll', 'exe', 'sh', 'pdf', 'mp4', 'woff', 'woff2', 'ttf',
]);

// SSH remotes (`git@github.com:org/repo`) name a service account, not a person.
const SERVICE_LOCAL_PARTS = new Set(['git', 'hg', 'svn']);

/**
 * Start of the dot-atom that ends just before `at` (no leading, trailing or doubled dots), not reaching
 * back past `floor`; -1 when there is none or it would be longer than 64 characters.
 */
function localStart(text: string, at: number, floor: number): number {
  let i = at;
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (isAtext(c)) i--;
    else if (c === 46 /* . */ && i < at && text.charCodeAt(i) !== 46 && i - 1 > floor && isAtext(text.charCodeAt(i - 2))) i--;
    else break;
    if (at - i > MAX_LOCAL) return -1;
  }
  return i < at ? i : -1;
}

export function findEmails(text: string, out: Detection[], opts: EmailOptions = {}): void {
  let floor = 0; // matches do not overlap: a local part never reaches back into the previous address
  // The last `://` before each `@`, followed forwards with the `@`s: one pass over the text in all.
  const seps: number[] = [];
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 3)) seps.push(i);
  let si = 0;
  let sep = -1;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    while (si < seps.length && seps[si]! < at) sep = seps[si++]!;
    let start = localStart(text, at, floor);
    if (start < 0) continue;
    DOMAIN.lastIndex = at + 1;
    const dm = DOMAIN.exec(text);
    if (!dm) continue;
    const end = at + 1 + dm[0].length;
    floor = end;
    // Strip leading punctuation that atext allows but prose uses as a delimiter (`'foo@x.com'`, `=a@b.co`).
    while (start < at && "'`=/{|".includes(text[start]!)) start++;
    if (start >= at) continue;
    const local = text.slice(start, at);
    const tld = text.slice(text.lastIndexOf('.', end - 1) + 1, end).toLowerCase();
    if (FILE_EXTENSIONS.has(tld) || SERVICE_LOCAL_PARTS.has(local)) continue;
    if (isIdentChar(text[start - 1])) continue; // a non-ASCII letter glued to the local part: not an address
    if (text[end] === '@' || (text[end] === '.' && /[A-Za-z0-9]/.test(text[end + 1] ?? ''))) continue;
    if (text[end] === ':' && text[end + 1] === '/') continue; // `user@host:/path` scp target
    if (!ALNUM.test(local)) continue; // `}@host` in a template, `+@host`
    if (userInfo(text, start, at, end, sep)) continue;
    // A reserved address is nobody's, but it is an address: it keeps its characters from other types.
    const quiet = !opts.includeReserved && reservedDomain(text.slice(at + 1, end));
    out.push({ rule: quiet ? QUIET : 'email', type: 'email', category: 'pii', start, end, confidence: 0.95 });
  }
}

/**
 * The `@` separates URL user-info from a host: `postgres://app:pw@db:5432`, `https://x-access-token:t@github.com`,
 * `https://token@host/`, `user:password@host` (a word before the colon that does not introduce an address),
 * or a host followed by a port. `sep`: offset of the last `://` before `at`, or -1.
 */
function userInfo(text: string, start: number, at: number, end: number, sep: number): boolean {
  if (sep >= 0 && at - sep <= MAX_USERINFO && USERINFO.test(text.slice(sep + 3, at)) && SCHEME_END.test(text.slice(Math.max(0, sep - 32), sep))) return true;
  if (text[start - 1] === ':' && !ADDRESS_LABEL.test(text.slice(Math.max(0, start - 16), start))) return true;
  return text[end] === ':' && /\d/.test(text[end + 1] ?? '');
}
