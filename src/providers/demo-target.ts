/**
 * The `demo` provider kind: the demo server (src/providers/demo) started lazily in-process on
 * 127.0.0.1:0, so the embedded default answers over the same upstream path as a real provider.
 * It speaks every dialect natively. One server per gateway, closed with it.
 */
import type { ProviderKind } from './types.js';
import { withQuery } from './base-url.js';
import { ANTHROPIC_DIALECTS, OPENAI_DIALECTS } from './openai.js';

const ALL = [...OPENAI_DIALECTS, ...ANTHROPIC_DIALECTS];

export const demoProvider: ProviderKind = {
  name: 'demo',
  defaultFormat: 'openai',
  authHeader: 'authorization',
  authPrefix: 'Bearer ',
  accepts: () => ALL,
  path: (t, d, q) => withQuery(`${t.basePath}/v1${d.path}`, q),
  streamUsage: true,
};

interface StartedDemo {
  url: string;
  close(): Promise<void>;
}

/** Starts the in-process demo server on first use; concurrent first requests share one start. */
export class DemoUpstream {
  private started?: Promise<StartedDemo>;
  private closed = false;

  origin(): Promise<string> {
    if (this.closed) return Promise.reject(new Error('gateway is closing'));
    this.started ??= import('./demo/index.js').then((m) => m.startDemoServer({ host: '127.0.0.1', port: 0, record: false }));
    return this.started.then((s) => new URL(s.url).origin);
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = await this.started?.catch(() => undefined);
    await s?.close();
  }
}
