/**
 * Usage on OpenAI chat / completions streams. Those streams report token counts only when the client
 * sets `stream_options.include_usage`; without them cost and budgets would see nothing and charge the
 * whole hold. For a target that supports it (`stream_usage`), kt asks for the counts itself and takes
 * out again what the client did not ask for: the usage-only chunk (`choices: []` + `usage`) is folded
 * and not relayed, and the `"usage":null` the provider then adds to every other chunk is removed.
 * Only the usage-only chunk is folded: with the option set, no other chunk carries usage.
 */
import type { Dialect } from '../dialects/dialect.js';
import { isObject } from '../dialects/dialect.js';
import type { SseEvent } from '../sse/parser.js';
import type { ResolvedTarget } from '../providers/types.js';

const USAGE_DIALECTS = new Set(['openai-chat', 'openai-completions']);

/** True when the stream must ask for usage on the client's behalf (same dialect, target able, client silent). */
export function injectsStreamUsage(d: Dialect, target: ResolvedTarget, body: unknown, stream: boolean): boolean {
  if (!stream || !target.streamUsage || !USAGE_DIALECTS.has(d.name) || !isObject(body)) return false;
  const so = body.stream_options;
  return !(isObject(so) && so.include_usage === true);
}

const OPEN = Buffer.from('{"stream_options":{"include_usage":true},');

/**
 * The request body with `stream_options.include_usage: true`. When the body has no `stream_options`
 * and is sent as the client wrote it, the member is spliced in after the opening brace, so every other
 * byte stays the client's; otherwise the body is re-serialised with the option merged in.
 */
export function withStreamUsage(raw: Buffer | undefined, body: Record<string, unknown>): Buffer | string {
  if (raw && body.stream_options === undefined) {
    let i = 0;
    while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x0a || raw[i] === 0x0d || raw[i] === 0x09)) i++;
    let j = i + 1;
    while (j < raw.length && (raw[j] === 0x20 || raw[j] === 0x0a || raw[j] === 0x0d || raw[j] === 0x09)) j++;
    // `{` followed by a member (validation guarantees model + messages/prompt, so never `{}`).
    if (raw[i] === 0x7b && raw[j] !== 0x7d) return Buffer.concat([OPEN, raw.subarray(i + 1)]);
  }
  const so = isObject(body.stream_options) ? body.stream_options : {};
  return JSON.stringify({ ...body, stream_options: { ...so, include_usage: true } });
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** `"choices"` followed by an empty array: a cheap scan, run on every event of the stream. */
function hasEmptyChoices(data: string): boolean {
  const at = data.indexOf('"choices"');
  if (at < 0) return false;
  let i = at + 9;
  while (isSpace(data.charCodeAt(i))) i++;
  if (data.charCodeAt(i++) !== 0x3a) return false; // :
  while (isSpace(data.charCodeAt(i))) i++;
  if (data.charCodeAt(i++) !== 0x5b) return false; // [
  while (isSpace(data.charCodeAt(i))) i++;
  return data.charCodeAt(i) === 0x5d; // ]
}

/**
 * The provider's extra chunk (no choices, a usage object) as `{usage}`; undefined for any other chunk.
 * With `choices` empty the only `"usage"` key is the top-level one, so the text from it to the end,
 * reopened with `{`, is a JSON object holding it: half the parse of the whole chunk.
 */
export function usageOnlyChunk(ev: SseEvent): Record<string, unknown> | undefined {
  const d = ev.data;
  if (!hasEmptyChoices(d)) return undefined; // Azure's first chunk has empty choices too, without usage
  const at = d.lastIndexOf('"usage"');
  if (at < 0) return undefined;
  try {
    const j = JSON.parse('{' + d.slice(at)) as unknown;
    return isObject(j) && isObject(j.usage) ? { usage: j.usage } : undefined;
  } catch {
    return undefined; // not the shape above: relayed as is
  }
}

const NULL_USAGE = ',"usage":null';

/**
 * What the client gets of one event: the usage-only chunk is handed to `fold` (parsed) and dropped (undefined);
 * other chunks lose the `"usage":null` member include_usage adds. A raw `"usage":null` cannot sit inside
 * a JSON string (its quotes would be escaped) and chunks have no other `usage` key, so the text edit is
 * exact. OpenAI puts it last, so the search starts from the end and usually stops within a few chars.
 */
export function stripAddedUsage(ev: SseEvent, fold: (chunk: Record<string, unknown>) => void): SseEvent | undefined {
  const d = ev.data;
  let at = d.lastIndexOf(NULL_USAGE);
  if (at < 0) {
    const usage = usageOnlyChunk(ev);
    if (usage) {
      fold(usage);
      return undefined;
    }
    at = d.indexOf('"usage":null,');
    if (at < 0) return ev;
  }
  return { event: ev.event, id: ev.id, data: d.slice(0, at) + d.slice(at + NULL_USAGE.length) };
}
