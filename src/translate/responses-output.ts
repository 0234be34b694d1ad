/**
 * OpenAI Responses output on either side: parse an upstream `response` object, render one for a
 * Responses client (items, status, usage), and the request fields a response object echoes.
 */
import type { ResponsesResponse, ResponsesUsage } from '../wire/openai-responses.js';
import { argumentsToObject, isRecord, num, str } from './content-parts.js';
import { newId, nowSeconds } from './ids.js';
import type { NResponse, NStop, NToolCall, NUsage } from './neutral.js';
import type { ResponsesToolMap } from './responses-helpers.js';

/** What the client asked for, echoed in every response object as the real API does. */
export interface ResponsesEcho {
  model: string;
  tools: ResponsesToolMap;
  fields: Record<string, unknown>;
}

const ECHOED = ['instructions', 'max_output_tokens', 'parallel_tool_calls', 'temperature', 'top_p', 'tool_choice', 'tools', 'metadata', 'reasoning', 'text', 'store', 'user', 'prompt_cache_key'];

export function echoFields(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isRecord(body)) for (const k of ECHOED) if (body[k] !== undefined) out[k] = body[k];
  return out;
}

/** Responses `input_tokens` includes cache reads and writes; the neutral `input` excludes them. */
export function usageFromResponses(u: unknown): NUsage | undefined {
  if (!isRecord(u)) return undefined;
  const details = isRecord(u.input_tokens_details) ? u.input_tokens_details : {};
  const cacheRead = num(details.cached_tokens);
  const cacheWrite = num(details.cache_write_tokens);
  const input = num(u.input_tokens);
  return {
    input: input === undefined ? undefined : input - (cacheRead ?? 0) - (cacheWrite ?? 0),
    output: num(u.output_tokens),
    cacheRead,
    cacheWrite,
    reasoning: isRecord(u.output_tokens_details) ? num(u.output_tokens_details.reasoning_tokens) : undefined,
  };
}

/**
 * The three totals are required numbers (0 when unknown, docs/CLIENTS.md); a details object is sent
 * only when its figure is known, never a made-up 0. `input_tokens_details` needs `cached_tokens`
 * (Codex parses it as required), so a cache-write figure without a cache-read one stays inside
 * `input_tokens` only.
 */
export function usageToResponses(u: NUsage | undefined): ResponsesUsage | null {
  if (!u || (u.input === undefined && u.output === undefined)) return null;
  const input = (u.input ?? 0) + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0);
  const out: ResponsesUsage = { input_tokens: input } as ResponsesUsage;
  if (u.cacheRead !== undefined) out.input_tokens_details = { cached_tokens: u.cacheRead, ...(u.cacheWrite !== undefined ? { cache_write_tokens: u.cacheWrite } : {}) };
  out.output_tokens = u.output ?? 0;
  if (u.reasoning !== undefined) out.output_tokens_details = { reasoning_tokens: u.reasoning };
  out.total_tokens = input + out.output_tokens;
  return out;
}

export function stopFromResponses(r: Record<string, unknown>, sawToolCall: boolean): NStop {
  if (r.status === 'incomplete') {
    const reason = isRecord(r.incomplete_details) ? r.incomplete_details.reason : undefined;
    return reason === 'content_filter' ? 'content_filter' : 'max_tokens';
  }
  return sawToolCall ? 'tool_use' : 'end';
}

/** Status and incomplete_details for a stop reason (Responses has no stop-sequence or tool-use status). */
export function statusOf(stop: NStop): { status: 'completed' | 'incomplete'; incomplete_details: ResponsesResponse['incomplete_details'] } {
  if (stop === 'max_tokens') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (stop === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function parseResponsesResponse(body: unknown): NResponse {
  const b = isRecord(body) ? body : {};
  const parts: NResponse['parts'] = [];
  for (const it of Array.isArray(b.output) ? b.output.filter(isRecord) : []) {
    if (it.type === 'message' && Array.isArray(it.content)) {
      for (const c of it.content.filter(isRecord)) {
        if (c.type === 'output_text' && typeof c.text === 'string') parts.push({ type: 'text', text: c.text });
        else if (c.type === 'refusal' && typeof c.refusal === 'string') parts.push({ type: 'text', text: c.refusal });
      }
    } else if (it.type === 'function_call') {
      parts.push({ type: 'tool_call', id: str(it.call_id) ?? newId('call_'), name: str(it.name) ?? '', arguments: str(it.arguments) ?? '' });
    } else if (it.type === 'reasoning' && Array.isArray(it.summary)) {
      const text = it.summary.filter(isRecord).map((s) => str(s.text) ?? '').join('\n');
      if (text) parts.push({ type: 'thinking', text });
    }
  }
  return { id: str(b.id), model: str(b.model), parts, stop: stopFromResponses(b, parts.some((p) => p.type === 'tool_call')), usage: usageFromResponses(b.usage) };
}

/** A function_call (or custom_tool_call) item under the name and namespace the client declared. */
export function toolCallItem(p: NToolCall, tools: ResponsesToolMap, id: string, status: 'in_progress' | 'completed', args = p.arguments): Record<string, unknown> {
  const origin = tools.get(p.name);
  const ns = origin?.namespace ? { namespace: origin.namespace } : {};
  if (origin?.custom) {
    const input = argumentsToObject(args).input;
    return { id, type: 'custom_tool_call', status, call_id: p.id, name: origin.name, input: typeof input === 'string' ? input : status === 'in_progress' ? '' : args, ...ns };
  }
  return { id, type: 'function_call', status, arguments: args, call_id: p.id, name: origin?.name ?? p.name, ...ns };
}

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): Record<string, unknown> {
  return { id, type: 'message', status, role: 'assistant', content: status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [] };
}

export function responseObject(echo: ResponsesEcho, id: string, createdAt: number, fields: { status: string; output: unknown[]; usage: ResponsesUsage | null; incomplete_details?: unknown; error?: unknown; model?: string }): Record<string, unknown> {
  const f = echo.fields;
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: fields.status,
    background: false,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete_details ?? null,
    instructions: f.instructions ?? null,
    max_output_tokens: f.max_output_tokens ?? null,
    model: fields.model ?? echo.model,
    output: fields.output,
    parallel_tool_calls: f.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: f.reasoning ?? { effort: null, summary: null },
    store: f.store ?? false,
    temperature: f.temperature ?? null,
    text: f.text ?? { format: { type: 'text' } },
    tool_choice: f.tool_choice ?? 'auto',
    tools: f.tools ?? [],
    top_p: f.top_p ?? null,
    truncation: 'disabled',
    usage: fields.usage,
    user: f.user ?? null,
    metadata: f.metadata ?? {},
  };
}

export function renderResponsesResponse(res: NResponse, echo: ResponsesEcho): Record<string, unknown> {
  const output: unknown[] = [];
  const text = res.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  // Reasoning from another provider is dropped: a Responses client would send it back as a reasoning
  // item, and only the provider that made one can accept it.
  if (text) output.push(messageItem(newId('msg_'), text, 'completed'));
  for (const p of res.parts) if (p.type === 'tool_call') output.push(toolCallItem(p, echo.tools, newId('fc_'), 'completed'));
  const { status, incomplete_details } = statusOf(res.stop);
  return responseObject(echo, res.id?.startsWith('resp_') ? res.id : newId('resp_'), nowSeconds(), { status, incomplete_details, output, usage: usageToResponses(res.usage), model: res.model });
}
