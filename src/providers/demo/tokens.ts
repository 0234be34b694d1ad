/**
 * Deterministic token estimates (about 4 characters a token) and the demo's prompt-cache model.
 *
 * Anthropic: caching follows the request's `cache_control` breakpoints in the provider's order
 * (tools → system → messages). The prefix up to the second-to-last breakpoint counts as read from
 * the cache (written by the previous turn), the part up to the last breakpoint as written, the rest
 * as plain input. Stateless, so the same request always reports the same usage.
 * OpenAI: prompts of 1024 tokens or more report cached_tokens in 128-token steps, for the part
 * before the last message/item (what the previous turn already sent).
 */
import type { DialectName } from '../../dialects/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function tokensOf(chars: number): number {
  return Math.ceil(chars / 4);
}

export function tokensOfText(text: string): number {
  return tokensOf(text.length);
}

/** Usage in Anthropic's terms: `input` excludes cache reads and writes. */
export interface InputUsage {
  input: number;
  cacheRead: number;
  cacheWrite: number;
}

const jsonLength = (v: unknown): number => (v === undefined ? 0 : JSON.stringify(v).length);

/** Walks the cacheable units in order; returns total chars and the running total at each breakpoint. */
function anthropicUnits(body: Obj): { total: number; breakpoints: number[] } {
  const units: unknown[] = [];
  if (Array.isArray(body.tools)) units.push(...body.tools);
  if (Array.isArray(body.system)) units.push(...body.system);
  else if (body.system !== undefined) units.push(body.system);
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    if (isObj(m) && Array.isArray(m.content)) units.push({ role: m.role }, ...m.content);
    else units.push(m);
  }
  let total = 0;
  const breakpoints: number[] = [];
  for (const u of units) {
    total += jsonLength(u);
    if (isObj(u) && isObj(u.cache_control)) breakpoints.push(total);
  }
  return { total, breakpoints };
}

export function anthropicInputUsage(body: Obj): InputUsage {
  const { total, breakpoints } = anthropicUnits(body);
  const all = tokensOf(total);
  if (breakpoints.length === 0) return { input: all, cacheRead: 0, cacheWrite: 0 };
  const last = tokensOf(breakpoints[breakpoints.length - 1]);
  const prev = breakpoints.length > 1 ? tokensOf(breakpoints[breakpoints.length - 2]) : 0;
  return { input: all - last, cacheRead: prev, cacheWrite: last - prev };
}

/** Anthropic count_tokens: every input token, cached or not. */
export function anthropicCountTokens(body: Obj): number {
  return tokensOf(anthropicUnits(body).total);
}

function openaiParts(dialect: DialectName, body: Obj): { total: number; lastPart: number } {
  const extras = jsonLength(body.tools) + jsonLength(body.instructions) + jsonLength(body.functions);
  let items: unknown[] = [];
  if (dialect === 'openai-chat') items = Array.isArray(body.messages) ? body.messages : [];
  else if (dialect === 'openai-responses') items = Array.isArray(body.input) ? body.input : [body.input];
  else if (dialect === 'openai-completions') items = [body.prompt, body.suffix];
  else items = Array.isArray(body.input) ? body.input : [body.input];
  const lengths = items.map(jsonLength);
  const total = extras + lengths.reduce((a, b) => a + b, 0);
  return { total, lastPart: lengths.at(-1) ?? 0 };
}

export function openaiInputUsage(dialect: DialectName, body: Obj): InputUsage {
  const { total, lastPart } = openaiParts(dialect, body);
  const prompt = tokensOf(total);
  let cached = 0;
  if (prompt >= 1024 && dialect !== 'openai-embeddings') cached = Math.floor(tokensOf(total - lastPart) / 128) * 128;
  return { input: prompt - cached, cacheRead: cached, cacheWrite: 0 };
}
