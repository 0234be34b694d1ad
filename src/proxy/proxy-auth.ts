/**
 * `Proxy-Authorization` carrying a kt access key: `Basic base64(user:kt_…)` (what IDE proxy settings
 * send: any user name, the key as password — or the key as user name with an empty password) or
 * `Bearer kt_…`. The key becomes the identity of every request on that connection.
 */
import type { IncomingHttpHeaders } from 'node:http';

export function proxyKey(headers: IncomingHttpHeaders): string | undefined {
  const v = headers['proxy-authorization'];
  if (typeof v !== 'string') return undefined;
  const m = /^(\w+)\s+(.+)$/.exec(v.trim());
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme === 'bearer') return m[2].trim() || undefined;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(m[2].trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  const user = i < 0 ? decoded : decoded.slice(0, i);
  const pass = i < 0 ? '' : decoded.slice(i + 1);
  return (pass || user) || undefined;
}
