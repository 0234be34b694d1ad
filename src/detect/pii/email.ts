/** Email addresses (RFC 5321 dot-atom local part, DNS or punycode domain), minus code look-alikes. */
import type { Detection } from '../types.js';
import { isIdentChar } from './boundaries.js';

// Local part: RFC 5322 atext without the rarely used quoting; domain labels may not start with '-' or '_'.
const EMAIL =
  /[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})(?![A-Za-z0-9-])/g;

// `icon@2x.png`, `pkg@1.2.3.tgz`: a file name, not a mailbox.
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'json', 'css',
  'scss', 'html', 'md', 'txt', 'yaml', 'yml', 'toml', 'lock', 'tgz', 'gz', 'zip', 'map', 'py', 'rb', 'go',
  'rs', 'java', 'kt', 'swift', 'wasm', 'so', 'dll', 'exe', 'sh', 'pdf', 'mp4', 'woff', 'woff2', 'ttf',
]);

// SSH remotes (`git@github.com:org/repo`) name a service account, not a person.
const SERVICE_LOCAL_PARTS = new Set(['git', 'hg', 'svn']);

export function findEmails(text: string, out: Detection[]): void {
  if (text.indexOf('@') < 0) return;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
    let start = m.index;
    const end = start + m[0].length;
    // Strip leading punctuation that atext allows but prose uses as a delimiter (`'foo@x.com'`, `=a@b.co`).
    while (start < end && "'`=/{|".includes(text[start]!)) start++;
    const value = text.slice(start, end);
    const at = value.indexOf('@');
    if (at <= 0) continue;
    const local = value.slice(0, at);
    const tld = value.slice(value.lastIndexOf('.') + 1).toLowerCase();
    if (FILE_EXTENSIONS.has(tld) || SERVICE_LOCAL_PARTS.has(local)) continue;
    if (isIdentChar(text[start - 1])) continue; // a non-ASCII letter glued to the local part: not an address
    if (text[end] === '@' || text[end] === '.' && /[A-Za-z0-9]/.test(text[end + 1] ?? '')) continue;
    if (text[end] === ':' && text[end + 1] === '/') continue; // `user@host:/path` scp target
    out.push({ rule: 'email', type: 'email', category: 'pii', start, end, confidence: 0.95 });
  }
}
