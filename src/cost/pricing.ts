/**
 * Prices and cost. The bundled table (prices.json, versioned) is overridden by config `pricing.models`
 * (exact names or `*` globs). Cost follows each wire format's usage semantics: Anthropic's
 * `input_tokens` excludes cache reads and writes (each priced on its own), OpenAI's `prompt_tokens`
 * includes `cached_tokens`. An unknown model costs `null`, never 0; local providers cost 0.
 */
import { readFileSync } from 'node:fs';
import type { Usage } from '../gateway/exchange.js';

export interface Price {
  input: number;
  output: number;
  cache_read?: number;
  cache_write?: number;
}

interface PriceFile {
  version: string;
  free_providers: string[];
  models: Record<string, Price>;
}

const bundled = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as PriceFile;
export const PRICE_TABLE_VERSION = bundled.version;

export type UsageSemantics = 'anthropic' | 'openai';

function globToRe(glob: string): RegExp {
  return new RegExp('^' + glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$', 'i');
}

/** Provider prefixes (`openai/…`), date stamps (`-20250929`, `-2024-08-06`) and `-latest` do not change the price. */
export function canonicalModel(model: string): string {
  return model
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/-latest$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-\d{8}$/, '')
    .replace(/@\d{8}$/, '');
}

export class PriceBook {
  private readonly overrides: [RegExp, Price][];

  constructor(overrides: Record<string, Price> = {}) {
    this.overrides = Object.entries(overrides).map(([k, p]) => [globToRe(k), p]);
  }

  isFreeProvider(provider: string | undefined): boolean {
    return !!provider && bundled.free_providers.includes(provider);
  }

  /** Price of a model, or undefined when neither the config nor the bundled table knows it. */
  priceOf(model: string | undefined, provider?: string): Price | undefined {
    if (this.isFreeProvider(provider)) return { input: 0, output: 0, cache_read: 0, cache_write: 0 };
    if (!model) return undefined;
    for (const [re, p] of this.overrides) if (re.test(model)) return p;
    const m = canonicalModel(model);
    for (const [re, p] of this.overrides) if (re.test(m)) return p;
    const exact = bundled.models[m];
    if (exact) return exact;
    // Longest bundled name that prefixes the model at a `-` boundary (e.g. `gpt-4o-audio-preview` → gpt-4o).
    let best: string | undefined;
    for (const k of Object.keys(bundled.models)) if (m.startsWith(k + '-') && (!best || k.length > best.length)) best = k;
    return best ? bundled.models[best] : undefined;
  }
}

/** Cost in USD, or null when the price or the usage is unknown. */
export function costOf(usage: Usage | undefined, price: Price | undefined, semantics: UsageSemantics): number | null {
  if (!price || !usage) return null;
  if (usage.inputTokens === null && usage.outputTokens === null) return null;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const readPrice = price.cache_read ?? price.input;
  const writePrice = price.cache_write ?? price.input;
  // OpenAI counts cached tokens inside prompt_tokens; Anthropic reports them beside input_tokens.
  const uncached = semantics === 'openai' ? Math.max(0, input - cacheRead) : input;
  const usd = (uncached * price.input + cacheRead * readPrice + cacheWrite * writePrice + output * price.output) / 1e6;
  return Math.round(usd * 1e10) / 1e10;
}

/** Whose usage semantics a dialect's usage numbers follow. */
export const semanticsOf = (dialect: string): UsageSemantics => (dialect.startsWith('anthropic') ? 'anthropic' : 'openai');
