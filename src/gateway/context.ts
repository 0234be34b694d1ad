/** Per-gateway state that outlives config reloads: upstream pools, breakers, the demo server, counters. */
import type { Logger } from 'pino';
import type { DemoUpstream } from '../providers/demo-target.js';
import type { UpstreamPools } from '../providers/upstream-pool.js';
import type { CircuitBreakers } from '../routing/circuit-breaker.js';
import type { Runtime } from './runtime.js';

export interface GatewayContext {
  /** The runtime new requests start with (swapped on reload). */
  current(): Runtime;
  pools: UpstreamPools;
  breakers: CircuitBreakers;
  demo: DemoUpstream;
  logger: Logger;
  startedAt: number;
  stats: { requests: number; inFlight: number };
  /** Draws for `loadbalance` (Math.random unless a test seeds it). */
  random?: () => number;
}

/** How an intercepted request arrived through the forward proxy (src/proxy). */
export interface ViaProxy {
  host: string;
  scheme: 'http' | 'https';
  /** A JSON PUT / PATCH on an unknown path is governed too, and forwarded with its own method. */
  method?: 'PUT' | 'PATCH';
}

export interface RequestContext {
  viaProxy?: ViaProxy;
  /** A kt access key from the proxy's `Proxy-Authorization` (proxy, marked edit): identity of proxied requests. */
  proxyCredential?: string;
  /** A scope's route prefix stripped from the path (scopes, marked edit). */
  routePrefix?: string;
}
