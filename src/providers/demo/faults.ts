/**
 * Fault injection and scripted replies: programmatic queues (used up `times` times each, in order)
 * and the spec a person types, in a header (`x-demo-fault: 429`) or a model name
 * (`demo-fault-reset-mid-stream-3`).
 *
 * Spec grammar: `<status>` (e.g. 429, 500, 503, 529) | `status-<code>` | `<kind>` | `<kind>[-:=]<n>`
 * where n is `afterEvents` for reset-mid-stream / error-mid-stream and milliseconds for slow-first-byte /
 * slow-chunks.
 */
import type { FaultKind, FaultMatch, FaultPlan, FaultSpec, ScriptedReply } from './types.js';

const KINDS: readonly FaultKind[] = ['reset-mid-stream', 'error-mid-stream', 'slow-first-byte', 'slow-chunks', 'truncate', 'status', 'reset', 'hang'];

export function parseFaultSpec(spec: string): FaultSpec | undefined {
  const s = spec.trim().toLowerCase();
  if (/^\d{3}$/.test(s)) return { kind: 'status', status: Number(s) };
  for (const kind of KINDS) {
    if (s === kind) return { kind };
    if (s.startsWith(kind) && /^[-:=]\d+$/.test(s.slice(kind.length))) {
      const n = Number(s.slice(kind.length + 1));
      if (kind === 'status') return { kind, status: n };
      if (kind === 'reset-mid-stream' || kind === 'error-mid-stream') return { kind, afterEvents: n };
      return { kind, ms: n };
    }
  }
  return undefined;
}

const MODEL_PREFIX = 'demo-fault-';

/** The fault a request asks for itself, by header first, then by model name. */
export function requestedFault(header: string | string[] | undefined, model: string | undefined): FaultSpec | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (h) {
    const f = parseFaultSpec(h);
    if (f) return f;
  }
  if (model?.startsWith(MODEL_PREFIX)) return parseFaultSpec(model.slice(MODEL_PREFIX.length));
  return undefined;
}

export function matches(when: FaultMatch | undefined, pathname: string, model: string | undefined): boolean {
  if (!when) return true;
  if (when.path !== undefined) {
    const ok = typeof when.path === 'string' ? pathname === when.path || pathname.endsWith(when.path) : when.path.test(pathname);
    if (!ok) return false;
  }
  if (when.model !== undefined && when.model !== model) return false;
  return true;
}

/** A queue of entries each used `times` times (default 1), first matching entry wins. */
class UseQueue<T extends { times?: number; when?: FaultMatch }> {
  private items: { item: T; left: number }[] = [];
  add(item: T): void {
    const times = item.times ?? 1;
    if (!(times > 0)) throw new RangeError('times must be a positive number');
    this.items.push({ item, left: times });
  }
  clear(): void {
    this.items = [];
  }
  get pending(): T[] {
    return this.items.map((e) => e.item);
  }
  take(pathname: string, model: string | undefined): T | undefined {
    const i = this.items.findIndex((e) => matches(e.item.when, pathname, model));
    if (i === -1) return undefined;
    const e = this.items[i];
    if (--e.left <= 0) this.items.splice(i, 1);
    return e.item;
  }
}

export class FaultQueue extends UseQueue<FaultSpec> implements FaultPlan {
  override add(fault: FaultSpec): void {
    if (!KINDS.includes(fault.kind)) throw new TypeError(`unknown fault kind "${String(fault.kind)}"; one of ${KINDS.join(', ')}`);
    super.add(fault);
  }
}

export class ScriptQueue extends UseQueue<ScriptedReply> {}
