/**
 * Prometheus metrics (`GET /metrics`), fed from decision events so every outcome is counted once:
 * requests by route/verdict/outcome/client, tokens and cost by model, end-to-end, upstream and
 * gateway-overhead latency, and per-policy latency. One registry per process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DecisionEvent } from './event.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const POLICY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class EvidenceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly tokens: Counter;
  private readonly cost: Counter;
  private readonly unpriced: Counter;
  private readonly latency: Histogram;
  private readonly upstream: Histogram;
  private readonly overhead: Histogram;
  private readonly policy: Histogram;
  private readonly findings: Counter;
  readonly queue: Gauge;

  constructor(opts: { defaultMetrics?: boolean; queueDepth?: () => number } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'kt_requests_total', help: 'Requests by route, verdict, outcome and client.', labelNames: ['route', 'verdict', 'outcome', 'client', 'status'], registers });
    this.tokens = new Counter({ name: 'kt_tokens_total', help: 'Tokens by model and kind (input, output, cache_read, cache_write).', labelNames: ['model', 'kind'], registers });
    this.cost = new Counter({ name: 'kt_cost_usd_total', help: 'Attributed cost in USD by model.', labelNames: ['model'], registers });
    this.unpriced = new Counter({ name: 'kt_unpriced_requests_total', help: 'Requests whose model has no known price (cost unknown).', labelNames: ['model'], registers });
    this.latency = new Histogram({ name: 'kt_request_duration_seconds', help: 'End-to-end request time.', labelNames: ['route', 'stream'], buckets: LATENCY_BUCKETS, registers });
    this.upstream = new Histogram({ name: 'kt_upstream_duration_seconds', help: 'Time spent waiting on the provider.', labelNames: ['provider'], buckets: LATENCY_BUCKETS, registers });
    this.overhead = new Histogram({ name: 'kt_gateway_overhead_seconds', help: 'Time the gateway added (total − upstream).', labelNames: ['route'], buckets: POLICY_BUCKETS.concat([2.5, 5]), registers });
    this.policy = new Histogram({ name: 'kt_policy_duration_seconds', help: 'Policy evaluation time.', labelNames: ['policy', 'phase'], buckets: POLICY_BUCKETS, registers });
    this.findings = new Counter({ name: 'kt_policy_findings_total', help: 'Findings by policy, category and action.', labelNames: ['policy', 'category', 'action'], registers });
    const depth = opts.queueDepth;
    this.queue = new Gauge({
      name: 'kt_event_queue_depth',
      help: 'Decision events waiting to be stored.',
      registers,
      collect() {
        if (depth) this.set(depth());
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'kt_process_' });
  }

  /** Model names come from clients; past a few hundred distinct ones, new names count as `other`. */
  private models = new Set<string>();
  private modelLabel(m: string | undefined): string {
    const name = (m ?? 'unknown').slice(0, 80);
    if (this.models.has(name)) return name;
    if (this.models.size >= 200) return 'other';
    this.models.add(name);
    return name;
  }

  observe(ev: DecisionEvent): void {
    this.requests.inc({ route: ev.route, verdict: ev.verdict, outcome: ev.outcome, client: ev.client, status: String(ev.status ?? '') });
    const model = this.modelLabel(ev.model);
    if (ev.input_tokens !== null) this.tokens.inc({ model, kind: 'input' }, ev.input_tokens);
    if (ev.output_tokens !== null) this.tokens.inc({ model, kind: 'output' }, ev.output_tokens);
    if (ev.cache_read_tokens) this.tokens.inc({ model, kind: 'cache_read' }, ev.cache_read_tokens);
    if (ev.cache_write_tokens) this.tokens.inc({ model, kind: 'cache_write' }, ev.cache_write_tokens);
    if (ev.cost_usd !== null) this.cost.inc({ model }, ev.cost_usd);
    else if (ev.input_tokens !== null || ev.output_tokens !== null) this.unpriced.inc({ model });
    if (ev.latency_ms !== null) this.latency.observe({ route: ev.route, stream: String(ev.stream) }, ev.latency_ms / 1000);
    if (ev.upstream_ms !== null) this.upstream.observe({ provider: ev.provider ?? 'unknown' }, ev.upstream_ms / 1000);
    if (ev.overhead_ms !== null) this.overhead.observe({ route: ev.route }, ev.overhead_ms / 1000);
    for (const p of ev.policies) {
      this.policy.observe({ policy: p.policy, phase: p.phase }, p.latency_ms / 1000);
      for (const f of p.findings) this.findings.inc({ policy: p.policy, category: f.category, action: f.action }, f.count);
    }
  }

  async handle(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}
