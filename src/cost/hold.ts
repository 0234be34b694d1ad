/**
 * What a request may cost before it is sent, priced by what will really be called: every planned
 * target (the fallbacks too) at its own model and provider, taking the dearest for the hold. Routes
 * that generate nothing hold nothing: count_tokens is free; embeddings are priced by input only.
 */
import type { Exchange, TargetRef } from '../gateway/exchange.js';
import { maxCostOf } from './estimate.js';
import { isFree, type PriceBook } from './pricing.js';

/** `none`: not billed (count_tokens); `input`: input tokens only (embeddings); `generate`: input and output. */
export type CostKind = 'none' | 'input' | 'generate';

export function costKindOf(dialect: string): CostKind {
  if (dialect === 'anthropic-count-tokens') return 'none';
  if (dialect === 'openai-embeddings') return 'input';
  return 'generate';
}

export interface HoldPlan {
  /** The most the request can cost over every candidate target. */
  amountUsd: number;
  /** Nothing it may call costs anything (count_tokens, free local targets): budgets do not apply. */
  free: boolean;
  /** Candidates whose model has no known price. */
  unpriced: { model: string; target?: string; provider?: string }[];
}

type Priced = Pick<Exchange, 'candidates' | 'model' | 'rawBody' | 'body' | 'dialect'>;

export function planHold(prices: PriceBook, ex: Priced): HoldPlan {
  const kind = costKindOf(ex.dialect);
  // count_tokens is not billed; with no target at all nothing will be called (the request fails with no target).
  if (kind === 'none' || ex.candidates?.length === 0) return { amountUsd: 0, free: true, unpriced: [] };
  const candidates: Partial<TargetRef>[] = ex.candidates?.length ? ex.candidates : [{ model: ex.model }];
  let amountUsd = 0;
  let free = true;
  const unpriced: HoldPlan['unpriced'] = [];
  for (const c of candidates) {
    const model = c.model || ex.model || '';
    const price = prices.priceOf(model, c.provider);
    if (!price) {
      unpriced.push({ model, target: c.id, provider: c.provider });
      free = false;
      continue;
    }
    if (!isFree(price)) free = false;
    amountUsd = Math.max(amountUsd, maxCostOf(price, ex.rawBody.length, ex.body, kind === 'input'));
  }
  return { amountUsd, free, unpriced };
}

export function unpricedMessage(u: HoldPlan['unpriced'][number], budgets: string[]): string {
  const where = u.target ? ` (target ${u.target}${u.provider ? `, provider ${u.provider}` : ''})` : '';
  return (
    `kt: model "${u.model}"${where} has no known price, so the enforced budget ${budgets.join(', ')} cannot bound this request and refuses it. ` +
    `Add its price (USD per million tokens) to policy-config.yaml: pricing: { models: { "${u.model}": { input: 3, output: 15 } } } ` +
    `— or { input: 0, output: 0 } for a free local model — or set pricing.fallback.`
  );
}
