/**
 * Anthropic Messages on either side of a translation: request parse/build, response parse/render,
 * usage and stop reasons. Streams are in anthropic-stream.ts.
 */
import { GatewayError } from '../errors.js';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicRequest, AnthropicStopReason, AnthropicToolChoice, AnthropicUsage } from '../wire/anthropic.js';
import { argumentsToObject, isRecord, num, str } from './content-parts.js';
import { newId } from './ids.js';
import type { NImage, NMessage, NRequest, NResponse, NStop, NText, NTool, NToolCall, NToolChoice, NToolResult, NUsage } from './neutral.js';

export const ANTHROPIC_ROUTE = '/v1/messages';

/**
 * Anthropic requires `max_tokens`; OpenAI-side clients may omit it. 4096 is accepted by every Claude
 * model (older ones cap output there), so a translated request never fails on it.
 */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

function invalid(msg: string): GatewayError {
  return new GatewayError('KT_ERR_INVALID_REQUEST', msg);
}

function textBlock(b: Record<string, unknown>): NText {
  return b.cache_control ? { type: 'text', text: String(b.text), cacheControl: b.cache_control } : { type: 'text', text: String(b.text) };
}

function imageBlock(b: Record<string, unknown>): NImage | undefined {
  const s = b.source;
  if (!isRecord(s)) return undefined;
  if (s.type === 'base64' && typeof s.data === 'string') return { type: 'image', source: { kind: 'base64', mediaType: str(s.media_type) ?? 'image/png', data: s.data } };
  if (s.type === 'url' && typeof s.url === 'string') return { type: 'image', source: { kind: 'url', url: s.url } };
  return undefined;
}

function blocksOf(content: unknown, where: string): Record<string, unknown>[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(`${where}.content must be a string or an array of content blocks`);
  return content.filter(isRecord);
}

function toolResult(b: Record<string, unknown>): NToolResult {
  let content: NToolResult['content'] = '';
  if (typeof b.content === 'string') content = b.content;
  else if (Array.isArray(b.content)) {
    content = [];
    for (const c of b.content.filter(isRecord)) {
      if (c.type === 'text' && typeof c.text === 'string') content.push({ type: 'text', text: c.text });
      else if (c.type === 'image') {
        const img = imageBlock(c);
        if (img) content.push(img);
      }
    }
  }
  const out: NToolResult = { type: 'tool_result', callId: str(b.tool_use_id) ?? '', content };
  if (b.is_error === true) out.isError = true;
  if (b.cache_control) out.cacheControl = b.cache_control;
  return out;
}

function parseToolChoice(tc: unknown): { choice?: NToolChoice; parallel?: boolean } {
  if (!isRecord(tc)) return {};
  const parallel = tc.disable_parallel_tool_use === true ? false : undefined;
  if (tc.type === 'auto') return { choice: { type: 'auto' }, parallel };
  if (tc.type === 'any') return { choice: { type: 'required' }, parallel };
  if (tc.type === 'none') return { choice: { type: 'none' } };
  if (tc.type === 'tool' && typeof tc.name === 'string') return { choice: { type: 'tool', name: tc.name }, parallel };
  return {};
}

export function parseAnthropicRequest(body: unknown): NRequest {
  if (!isRecord(body)) throw invalid('request body must be a JSON object');
  const b = body as AnthropicRequest;
  if (!Array.isArray(b.messages)) throw invalid('messages must be an array');
  const messages: NMessage[] = [];
  if (typeof b.system === 'string' && b.system !== '') messages.push({ role: 'system', kind: 'system', parts: [{ type: 'text', text: b.system }] });
  else if (Array.isArray(b.system)) {
    const parts = b.system.filter((s) => isRecord(s) && s.type === 'text' && typeof s.text === 'string').map((s) => textBlock(s as unknown as Record<string, unknown>));
    if (parts.length) messages.push({ role: 'system', kind: 'system', parts });
  }
  b.messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    if (!isRecord(m)) throw invalid(`${where} must be an object`);
    const blocks = blocksOf(m.content, where);
    if (m.role === 'system') {
      messages.push({ role: 'system', kind: 'system', parts: blocks.filter((x) => x.type === 'text').map(textBlock) });
    } else if (m.role === 'user') {
      const parts: Array<NText | NImage | NToolResult> = [];
      for (const x of blocks) {
        if (x.type === 'text' && typeof x.text === 'string') parts.push(textBlock(x));
        else if (x.type === 'image') {
          const img = imageBlock(x);
          if (img) parts.push(img);
        } else if (x.type === 'tool_result') parts.push(toolResult(x));
        // document, search_result and server-tool blocks have no counterpart: dropped (docs/CLIENTS.md).
      }
      messages.push({ role: 'user', parts });
    } else if (m.role === 'assistant') {
      const parts: Array<NText | NToolCall> = [];
      for (const x of blocks) {
        if (x.type === 'text' && typeof x.text === 'string') parts.push(textBlock(x));
        else if (x.type === 'tool_use') parts.push({ type: 'tool_call', id: str(x.id) ?? newId('toolu_'), name: str(x.name) ?? '', arguments: JSON.stringify(x.input ?? {}) });
        // thinking / redacted_thinking are signed by the Anthropic model that made them: never sent elsewhere.
      }
      messages.push({ role: 'assistant', parts });
    } else {
      throw invalid(`${where}.role "${String(m.role)}" is not supported`);
    }
  });
  const tools: NTool[] = [];
  for (const t of Array.isArray(b.tools) ? b.tools : []) {
    // Server tools (web_search_…, bash_…, text_editor_…) run at Anthropic: nothing to translate them to.
    if (!isRecord(t) || (t.type !== undefined && t.type !== 'custom') || typeof t.name !== 'string') continue;
    tools.push({ name: t.name, description: str(t.description), parameters: isRecord(t.input_schema) ? t.input_schema : { type: 'object', properties: {} }, cacheControl: t.cache_control });
  }
  const { choice, parallel } = parseToolChoice(b.tool_choice);
  let responseFormat: NRequest['responseFormat'];
  const fmt = isRecord(b.output_config) ? b.output_config.format : isRecord(b.output_format) ? b.output_format : undefined;
  if (isRecord(fmt) && fmt.type === 'json_schema') responseFormat = { type: 'json_schema', name: 'response', schema: fmt.schema, strict: true };
  return {
    model: str(b.model) ?? '',
    stream: b.stream === true,
    messages,
    tools,
    toolChoice: choice,
    parallelToolCalls: parallel,
    maxTokens: num(b.max_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    topK: num(b.top_k),
    stop: Array.isArray(b.stop_sequences) ? b.stop_sequences.filter((s) => typeof s === 'string') : undefined,
    user: isRecord(b.metadata) ? str(b.metadata.user_id) : undefined,
    responseFormat,
  };
}

function partToBlock(p: NText | NImage | NToolResult | NToolCall): AnthropicContentBlock | undefined {
  switch (p.type) {
    case 'text':
      // Anthropic rejects empty text blocks.
      if (p.text === '') return undefined;
      return p.cacheControl ? { type: 'text', text: p.text, cache_control: p.cacheControl as never } : { type: 'text', text: p.text };
    case 'image':
      return { type: 'image', source: p.source.kind === 'url' ? { type: 'url', url: p.source.url } : { type: 'base64', media_type: p.source.mediaType, data: p.source.data } };
    case 'tool_call':
      return { type: 'tool_use', id: p.id, name: p.name, input: argumentsToObject(p.arguments) };
    case 'tool_result': {
      const content = typeof p.content === 'string' ? p.content : p.content.map((c) => partToBlock(c)).filter((c) => c !== undefined);
      const out: Record<string, unknown> = { type: 'tool_result', tool_use_id: p.callId, content };
      if (p.isError) out.is_error = true;
      if (p.cacheControl) out.cache_control = p.cacheControl;
      return out as unknown as AnthropicContentBlock;
    }
  }
}

function buildToolChoice(tc: NToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const dp = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (!tc) return parallel === false ? { type: 'auto', ...dp } : undefined;
  if (tc.type === 'none') return { type: 'none' };
  if (tc.type === 'required') return { type: 'any', ...dp };
  if (tc.type === 'tool') return { type: 'tool', name: tc.name, ...dp };
  return { type: 'auto', ...dp };
}

export function buildAnthropicRequest(req: NRequest): AnthropicRequest {
  // Anthropic has one top-level system prompt: system/developer messages are hoisted there, in order.
  const system = req.messages.flatMap((m) => (m.role === 'system' ? m.parts : [])).map((p) => partToBlock(p)).filter((b) => b !== undefined);
  const messages: AnthropicRequest['messages'] = [];
  for (const m of req.messages) {
    if (m.role === 'system') continue;
    const parts = m.role === 'user' ? [...m.parts.filter((p) => p.type === 'tool_result'), ...m.parts.filter((p) => p.type !== 'tool_result')] : m.parts;
    const blocks = parts.map((p) => partToBlock(p)).filter((b) => b !== undefined);
    if (!blocks.length) continue;
    const last = messages[messages.length - 1];
    // Roles must alternate: consecutive turns of one role (chat tool messages, then a user message) merge.
    if (last && last.role === m.role) (last.content as AnthropicContentBlock[]).push(...blocks);
    else messages.push({ role: m.role, content: blocks });
  }
  const out: AnthropicRequest = { model: req.model, messages, max_tokens: req.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS };
  if (system.length) out.system = system as AnthropicRequest['system'];
  if (req.stream) out.stream = true;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.topP !== undefined) out.top_p = req.topP;
  if (req.topK !== undefined) out.top_k = req.topK;
  if (req.stop?.length) out.stop_sequences = req.stop;
  if (req.user !== undefined) out.metadata = { user_id: req.user };
  // tool_choice without tools is an Anthropic 400: only sent with tools.
  if (req.tools.length) {
    out.tools = req.tools.map((t) => ({
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      // Anthropic accepts only object schemas at the top level.
      input_schema: t.parameters.type === 'object' ? t.parameters : { ...t.parameters, type: 'object' },
      ...(t.cacheControl ? { cache_control: t.cacheControl as never } : {}),
    }));
    const tc = buildToolChoice(req.toolChoice, req.parallelToolCalls);
    if (tc) out.tool_choice = tc;
  }
  return out;
}

export function usageFromAnthropic(u: unknown): NUsage | undefined {
  if (!isRecord(u)) return undefined;
  return { input: num(u.input_tokens), output: num(u.output_tokens), cacheRead: num(u.cache_read_input_tokens), cacheWrite: num(u.cache_creation_input_tokens) };
}

/** Unknown counts: 0 for the two required numbers, null for the optional cache fields. */
export function usageToAnthropic(u: NUsage | undefined): AnthropicUsage {
  return { input_tokens: u?.input ?? 0, output_tokens: u?.output ?? 0, cache_creation_input_tokens: u?.cacheWrite ?? null, cache_read_input_tokens: u?.cacheRead ?? null };
}

export function stopFromAnthropic(r: unknown): NStop {
  if (r === 'max_tokens' || r === 'model_context_window_exceeded') return 'max_tokens';
  if (r === 'stop_sequence') return 'stop_sequence';
  if (r === 'tool_use') return 'tool_use';
  if (r === 'refusal') return 'content_filter';
  return 'end';
}

export function stopToAnthropic(s: NStop): AnthropicStopReason {
  return s === 'end' ? 'end_turn' : s === 'content_filter' ? 'refusal' : s;
}

export function parseAnthropicResponse(body: unknown): NResponse {
  const b = (isRecord(body) ? body : {}) as Partial<AnthropicMessage>;
  const parts: NResponse['parts'] = [];
  for (const c of Array.isArray(b.content) ? b.content : []) {
    if (!isRecord(c)) continue;
    if (c.type === 'text' && typeof c.text === 'string') parts.push({ type: 'text', text: c.text });
    else if (c.type === 'tool_use') parts.push({ type: 'tool_call', id: str(c.id) ?? newId('toolu_'), name: str(c.name) ?? '', arguments: JSON.stringify(c.input ?? {}) });
    else if (c.type === 'thinking' && typeof c.thinking === 'string') parts.push({ type: 'thinking', text: c.thinking });
  }
  return { id: str(b.id), model: str(b.model), parts, stop: stopFromAnthropic(b.stop_reason), stopSequence: str(b.stop_sequence) ?? null, usage: usageFromAnthropic(b.usage) };
}

export function renderAnthropicResponse(res: NResponse, model: string): AnthropicMessage {
  const content: AnthropicContentBlock[] = [];
  for (const p of res.parts) {
    // Thinking from another provider has no Anthropic signature and must not be passed off as signed.
    if (p.type === 'text') content.push({ type: 'text', text: p.text });
    else if (p.type === 'tool_call') content.push({ type: 'tool_use', id: p.id, name: p.name, input: argumentsToObject(p.arguments) });
  }
  return {
    id: res.id?.startsWith('msg_') ? res.id : newId('msg_'),
    type: 'message',
    role: 'assistant',
    model: res.model ?? model,
    content,
    stop_reason: stopToAnthropic(res.stop),
    stop_sequence: res.stopSequence ?? null,
    usage: usageToAnthropic(res.usage),
  };
}
