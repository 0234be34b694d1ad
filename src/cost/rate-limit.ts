/**
 * Rate limits per key, user, team, project or globally: requests (rpm) and tokens (tpm) in a sliding
 * 60-second window, kept in this process's memory (each gateway instance counts its own traffic).
 * A refusal says when to retry (`Retry-After`): the moment enough of the window has slid by.
 */
import type { Principal } from '../gateway/exchange.js';

export interface RateLimitRule {
  name?: string;
  scope: 'key' | 'user' | 'team' | 'project' | 'global';
  match?: string;
  rpm?: number;
  tpm?: number;
}

export interface RateRefusal {
  limit: string;
  kind: 'rpm' | 'tpm';
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;

interface Window {
  /** [time, tokens] per request admitted. */
  hits: [number, number][];
}

function scopeValue(p: Principal, scope: RateLimitRule['scope']): string | undefined {
  if (scope === 'key') return p.keyName ?? p.keyId;
  if (scope === 'user') return p.userId;
  if (scope === 'team') return p.teamId;
  if (scope === 'project') return p.projectId;
  return '*';
}

export class RateLimiter {
  private windows = new Map<string, Window>();

  constructor(private readonly rules: readonly RateLimitRule[]) {}

  get empty(): boolean {
    return this.rules.length === 0;
  }

  private keysFor(p: Principal): { id: string; label: string; rule: RateLimitRule }[] {
    const out: { id: string; label: string; rule: RateLimitRule }[] = [];
    this.rules.forEach((rule, i) => {
      const v = scopeValue(p, rule.scope);
      if (v === undefined) return;
      if (rule.match && rule.match !== '*' && rule.match !== v && !(rule.scope === 'key' && rule.match === p.keyId)) return;
      const name = rule.name ?? `${rule.scope}#${i}`;
      out.push({ id: `${name}|${v}`, label: rule.scope === 'global' ? name : `${name} (${rule.scope} ${v})`, rule });
    });
    return out;
  }

  private window(id: string, now: number): Window {
    let w = this.windows.get(id);
    if (!w) {
      w = { hits: [] };
      this.windows.set(id, w);
    }
    while (w.hits.length && w.hits[0][0] <= now - WINDOW_MS) w.hits.shift();
    return w;
  }

  /** Admit one request (counting it) or say which limit refuses it and for how long. */
  admit(p: Principal, now = Date.now()): { ok: true; ids: string[] } | { ok: false; refusal: RateRefusal } {
    const keys = this.keysFor(p);
    for (const k of keys) {
      const w = this.window(k.id, now);
      if (k.rule.rpm !== undefined && w.hits.length >= k.rule.rpm) {
        const oldest = w.hits[w.hits.length - k.rule.rpm][0];
        return { ok: false, refusal: { limit: k.label, kind: 'rpm', retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) } };
      }
      if (k.rule.tpm !== undefined) {
        let tokens = w.hits.reduce((s, h) => s + h[1], 0);
        if (tokens >= k.rule.tpm) {
          let i = 0;
          while (i < w.hits.length && tokens >= k.rule.tpm) tokens -= w.hits[i++][1];
          const until = w.hits[i - 1][0] + WINDOW_MS;
          return { ok: false, refusal: { limit: k.label, kind: 'tpm', retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) } };
        }
      }
    }
    for (const k of keys) this.window(k.id, now).hits.push([now, 0]);
    return { ok: true, ids: keys.map((k) => k.id) };
  }

  /** Count the tokens a request actually used against the windows it was admitted in. */
  addTokens(ids: readonly string[], admittedAt: number, tokens: number): void {
    if (tokens <= 0) return;
    for (const id of ids) {
      const w = this.windows.get(id);
      const hit = w?.hits.find((h) => h[0] === admittedAt && h[1] === 0);
      if (hit) hit[1] = tokens;
      else w?.hits.push([Date.now(), tokens]);
    }
  }
}
