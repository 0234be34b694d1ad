/**
 * The config as `GET /keeptrusts/config` shows it. The file holds env var names, not secrets, but a
 * key-like value can still end up in it (a header value, a URL with a password): mask anything under a
 * secret-sounding key, every extra header value, any value that looks like a credential and URL
 * passwords. Environment variables are never resolved here.
 */

const SECRET_KEY = /(secret|token|password|passwd|api[_-]?key|credential|private[_-]?key|authorization)/i;
// Values shaped like credentials: known prefixes or long high-variety strings without spaces.
const SECRET_VALUE = /^(sk-|sk_|pk_|rk_|ghp_|gho_|ghs_|github_pat_|xox[abprs]-|AKIA|ASIA|AIza|glpat-|kt_|eyJ)[A-Za-z0-9._\-]{8,}/;

const MASK = '***';

function looksSecret(s: string): boolean {
  if (SECRET_VALUE.test(s)) return true;
  if (s.length >= 32 && !/\s/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s) && !/^https?:\/\//.test(s) && !s.includes('/')) return true;
  return false;
}

function maskUrl(s: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(s)) return s;
  try {
    const u = new URL(s);
    if (u.password) u.password = MASK;
    return u.toString();
  } catch {
    return s.replace(/\/\/[^/@]*@/, `//${MASK}@`);
  }
}

function maskValue(v: unknown, key: string): unknown {
  if (Array.isArray(v)) return v.map((x) => maskValue(x, key));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // Objects under secret-sounding keys (secret_key_ref) hold variable NAMES: recurse, don't hide them.
      if (typeof x === 'string' && (SECRET_KEY.test(k) || key === 'headers')) out[k] = MASK;
      else out[k] = maskValue(x, k);
    }
    return out;
  }
  if (typeof v === 'string') return looksSecret(v) ? MASK : maskUrl(v);
  return v;
}

/** A deep copy safe to show: secret-looking values replaced by "***". */
export function maskConfig(config: unknown): unknown {
  return maskValue(config, '');
}
