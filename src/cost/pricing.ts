/**
 * Prices and cost. The bundled table (prices.json, versioned) is overridden by config `pricing.models`
 * (exact names or `*` globs). Cost follows each wire format's usage semantics: Anthropic's
 * `input_tokens` excludes cache reads and writes (each priced on its own), OpenAI's `prompt_tokens`
 * includes `cached_tokens` (and `cache_write_tokens`, where a server reports them). An unknown model costs `null`, never 0; local providers cost 0.
 */
import { readFileSync } from 'node:fs';
import type { Usage } from '../gateway/exchange.js';

export interface Price {
  input: number;
  output: number;
  cache_read?: number;
  /** Anthropic 5-minute cache writes (1.25× input). */
  cache_write?: number;
  /** Anthropic 1-hour cache writes; default 2× input for models with cache-write pricing. */
  cache_write_1h?: number;
}

/** Price of a 1-hour cache write: configured, else 2× input where the model prices cache writes at all. */
export function write1hPrice(p: Price): number {
  return p.cache_write_1h ?? (p.cache_write !== undefined ? p.input * 2 : p.input);
}

/** A price of zero for everything (free providers, local models). */
export function isFree(p: Price | undefined): boolean {
  return !!p && p.input === 0 && p.output === 0 && !p.cache_read && !p.cache_write && !p.cache_write_1h;
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

  /**
   * `overrides`: config `pricing.models` (names or globs, checked first). `fallback`: config
   * `pricing.fallback`, the price of any model neither the config nor the bundled table knows.
   */
  constructor(
    overrides: Record<string, Price> = {},
    private readonly fallback?: Price,
  ) {
    this.overrides = Object.entries(overrides).map(([k, p]) => [globToRe(k), p]);
  }

  isFreeProvider(provider: string | undefined): boolean {
    return !!provider && bundled.free_providers.includes(provider);
  }

  /** Price of a model, or undefined when neither the config nor the bundled table knows it (and no fallback is set). */
  priceOf(model: string | undefined, provider?: string): Price | undefined {
    return this.known(model, provider) ?? this.fallback;
  }

  /** Whether the price comes from the configured fallback (for logs). */
  usesFallback(model: string | undefined, provider?: string): boolean {
    return !this.known(model, provider) && !!this.fallback;
  }

  private known(model: string | undefined, provider?: string): Price | undefined {
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
  // Anthropic's cache_creation_input_tokens is the total; cache_creation.ephemeral_1h_input_tokens its 1-hour share.
  const write1h = Math.min(cacheWrite, usage.cacheWrite1hTokens ?? 0);
  const readPrice = price.cache_read ?? price.input;
  const writePrice = price.cache_write ?? price.input;
  // OpenAI counts cache reads and writes inside prompt_tokens; Anthropic reports them beside input_tokens.
  const uncached = semantics === 'openai' ? Math.max(0, input - cacheRead - cacheWrite) : input;
  const usd = (uncached * price.input + cacheRead * readPrice + (cacheWrite - write1h) * writePrice + write1h * write1hPrice(price) + output * price.output) / 1e6;
  return Math.round(usd * 1e10) / 1e10;
}

/** Whose usage semantics a dialect's usage numbers follow. */
export const semanticsOf = (dialect: string): UsageSemantics => (dialect.startsWith('anthropic') ? 'anthropic' : 'openai');
