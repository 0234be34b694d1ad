/**
 * The demo's answer, independent of the wire format: a text that shows what was received (so a
 * newcomer sees redaction at work), or tool calls when the request asks for them, plus optional
 * thinking and the usage. Deterministic: the same request gives the same answer.
 *
 * Tool-call triggers (tools must be offered, tool_choice must not be "none", and the conversation must
 * not end with a tool result — then the answer is text):
 *  - tool_choice forces a tool (OpenAI `required` / named, Anthropic `any` / `tool`);
 *  - the last user text says "use the <name> tool" (that tool), or "call a tool" / "use a tool" /
 *    "call the tool" (the first tool);
 *  - it says "in parallel" / "parallel tool calls" → two or three calls at once (unless parallel calls
 *    are disabled by the request).
 * A stop sequence of the request found in the text cuts it there (stop reason stop_sequence).
 */
import { createHash } from 'node:crypto';
import type { RequestView, ToolDef } from './request-view.js';
import { argumentsFor } from './schema-args.js';
import { tokensOfText, type InputUsage } from './tokens.js';
import type { DemoUsage, ScriptedReply } from './types.js';

export interface PlannedToolCall {
  name: string;
  arguments: string;
}

export type StopKind = 'end' | 'tool' | 'max_tokens' | 'stop_sequence';

export interface FullUsage extends InputUsage {
  output: number;
}

export interface DemoAnswer {
  text: string;
  toolCalls: PlannedToolCall[];
  thinking?: { text: string; signature: string };
  stop: StopKind;
  /** The stop sequence that ended the text, when stop is 'stop_sequence'. */
  stopSequence?: string;
  usage: FullUsage;
  /** Hex digest of the request; ids are derived from it so they are stable per request. */
  seed: string;
}

const QUOTE_MAX = 300;

export function truncate(text: string, max = QUOTE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…';
}

export function demoText(v: RequestView): string {
  if (v.dialect === 'openai-completions') {
    const suffix = v.suffix !== undefined ? ` and a suffix of ${v.suffix.length} characters` : '';
    return `Demo completion from kt: I received a prompt of ${v.lastUserText.length} characters${suffix}. It ends with: "${truncate(v.lastUserText.slice(-QUOTE_MAX))}"`;
  }
  const n = v.messageCount;
  const tools = v.tools.length === 1 ? '1 tool' : `${v.tools.length} tools`;
  let text = `Demo reply from kt: I received ${n} ${n === 1 ? 'message' : 'messages'} (${tools}). Your last message was: "${truncate(v.lastUserText)}"`;
  if (v.lastToolResult !== undefined) text += ` The last tool result was: "${truncate(v.lastToolResult)}"`;
  return text;
}

function pickTools(v: RequestView): ToolDef[] {
  if (v.tools.length === 0 || v.toolChoiceNone || v.endsWithToolResult) return [];
  const ask = v.lastUserText;
  const named = /\buse the [`'"]?([\w.:-]+)[`'"]? tool\b/i.exec(ask)?.[1];
  const byName = (name: string | undefined) => v.tools.find((t) => t.name === name || t.name.toLowerCase() === name?.toLowerCase());
  const parallel = v.parallelAllowed && /\bin parallel\b|\bparallel tool/i.test(ask);
  let first: ToolDef | undefined;
  if (v.forcedTool && v.forcedTool !== 'any') first = byName(v.forcedTool) ?? v.tools[0];
  else if (named && byName(named)) first = byName(named);
  else if (v.forcedTool === 'any' || parallel || /\b(call|use) (a|the|some|any) tools?\b|\bcall tools\b/i.test(ask)) first = v.tools[0];
  if (!first) return [];
  if (!parallel || (v.forcedTool && v.forcedTool !== 'any')) return [first];
  const others = v.tools.filter((t) => t !== first).slice(0, 2);
  return [first, ...(others.length > 0 ? others : [first])];
}

function signatureOf(seed: string, thinking: string): string {
  const a = createHash('sha256').update(`sig:${seed}:${thinking}`).digest();
  const b = createHash('sha256').update(a).digest();
  return Buffer.concat([a, b]).toString('base64');
}

/**
 * Ids derive from what the answer depends on, not from the raw bytes, so the streaming and the
 * non-streaming form of one request get the same ids (SDK stream accumulations compare equal).
 */
function seedOf(v: RequestView): string {
  const h = createHash('sha256');
  for (const part of [v.dialect, v.model, String(v.messageCount), v.lastUserText, v.lastToolResult ?? '', v.suffix ?? '', ...v.tools.map((t) => t.name)]) {
    h.update(part).update('\0');
  }
  return h.digest('hex');
}

export interface AnswerInput {
  view: RequestView;
  inputUsage: InputUsage;
  script?: ScriptedReply;
}

function applyUsage(usage: FullUsage, o: DemoUsage | undefined): FullUsage {
  if (!o) return usage;
  return {
    input: o.input_tokens ?? usage.input,
    output: o.output_tokens ?? usage.output,
    cacheRead: o.cache_read_input_tokens ?? usage.cacheRead,
    cacheWrite: o.cache_creation_input_tokens ?? usage.cacheWrite,
  };
}

export function buildAnswer({ view, inputUsage, script }: AnswerInput): DemoAnswer {
  const seed = seedOf(view);
  let text = '';
  let toolCalls: PlannedToolCall[] = [];
  if (script?.toolCalls) toolCalls = script.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }));
  else if (script?.text !== undefined) text = script.text;
  else {
    toolCalls = pickTools(view).map((t) => ({ name: t.name, arguments: argumentsFor(t.schema) }));
    if (toolCalls.length === 0) text = demoText(view);
  }
  if (script?.text !== undefined && script.toolCalls) text = script.text;
  let stop: StopKind = toolCalls.length > 0 ? 'tool' : 'end';
  let stopSequence: string | undefined;
  if (toolCalls.length === 0) {
    // The earliest stop sequence in the text ends it there, as a model's sampling would.
    let at = -1;
    for (const s of view.stopSequences) {
      const i = text.indexOf(s);
      if (i !== -1 && (at === -1 || i < at)) [at, stopSequence] = [i, s];
    }
    if (at !== -1) {
      text = text.slice(0, at);
      stop = 'stop_sequence';
    }
  }
  if (toolCalls.length === 0 && view.maxTokens !== undefined && view.maxTokens > 0 && tokensOfText(text) > view.maxTokens) {
    text = text.slice(0, view.maxTokens * 4);
    stop = 'max_tokens';
  }
  let thinking: DemoAnswer['thinking'];
  if (view.thinking) {
    const t = `The request has ${view.messageCount} messages and ${view.tools.length} tools; I will answer with ${toolCalls.length > 0 ? 'a tool call' : 'text'}.`;
    thinking = { text: t, signature: signatureOf(seed, t) };
  }
  const output =
    tokensOfText(text) +
    toolCalls.reduce((n, c) => n + tokensOfText(c.name) + tokensOfText(c.arguments), 0) +
    (thinking ? tokensOfText(thinking.text) : 0);
  const usage = applyUsage({ ...inputUsage, output: Math.max(1, output) }, script?.usage);
  return { text, toolCalls, thinking, stop, stopSequence, usage, seed };
}

/** A stable id for one thing in one answer, e.g. idFor(seed, 'call', 0). */
export function idFor(seed: string, label: string, n = 0, length = 24): string {
  return createHash('sha256').update(`${seed}:${label}:${n}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, length);
}

/** Splits text into a few deltas (word-ish pieces, at least `min` pieces when long enough). */
export function splitDeltas(text: string, min = 3): string[] {
  if (text.length === 0) return [];
  // Code-point aware so a delta never ends in half a surrogate pair.
  const chars = Array.from(text);
  const size = Math.max(1, Math.min(24, Math.ceil(chars.length / min)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
