/**
 * Keep-alive connection pools to provider origins (one undici Pool per origin), owned by one gateway
 * and closed with it. `connect` options (a CA, a lookup) come from the gateway's options so the
 * forward proxy's tests can resolve a real host name to a local server.
 */
import { Pool } from 'undici';
import type { buildConnector } from 'undici';

export interface UpstreamPoolOptions {
  /** Options for undici's connector, or a connector (proxy, marked edit: tests map a host name to a local port). */
  connect?: buildConnector.BuildOptions | buildConnector.connector;
  /** Max sockets per origin. */
  connections?: number;
}

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  constructor(private readonly opts: UpstreamPoolOptions = {}) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.opts.connections ?? 256,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connect: this.opts.connect,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
