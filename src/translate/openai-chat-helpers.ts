/**
 * OpenAI Chat Completions on either side of a translation: request parse/build, response
 * parse/render, usage and finish reasons. Streams are in openai-chat-stream.ts.
 */
import { GatewayError } from '../errors.js';
import type { ChatCompletion, ChatContentPart, ChatFinishReason, ChatMessage, ChatRequest, ChatToolCall, ChatUsage } from '../wire/openai-chat.js';
import { imageFromUrl, imageToUrl, isRecord, num, str, textOf, toolResultText } from './content-parts.js';
import { newId, nowSeconds } from './ids.js';
import type { NImage, NMessage, NRequest, NResponse, NStop, NText, NTool, NToolChoice, NUsage } from './neutral.js';

export const CHAT_ROUTE = '/v1/chat/completions';

function invalid(msg: string): GatewayError {
  return new GatewayError('KT_ERR_INVALID_REQUEST', msg);
}

function chatParts(content: unknown, where: string): Array<NText | NImage> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalid(`${where}.content must be a string or an array of parts`);
  const out: Array<NText | NImage> = [];
  for (const p of content as ChatContentPart[]) {
    if (!isRecord(p)) continue;
    if (p.type === 'text' && typeof p.text === 'string') {
      out.push(p.cache_control ? { type: 'text', text: p.text, cacheControl: p.cache_control } : { type: 'text', text: p.text });
    } else if (p.type === 'image_url' && isRecord(p.image_url) && typeof p.image_url.url === 'string') {
      out.push(imageFromUrl(p.image_url.url, str(p.image_url.detail)));
    } else if (p.type === 'refusal' && typeof p.refusal === 'string') {
      out.push({ type: 'text', text: p.refusal });
    }
    // input_audio and file parts have no counterpart in the other dialects: dropped (docs/CLIENTS.md).
  }
  return out;
}

function parseToolChoice(tc: unknown): NToolChoice | undefined {
  if (tc === 'none' || tc === 'auto') return { type: tc };
  if (tc === 'required') return { type: 'required' };
  if (isRecord(tc) && tc.type === 'function' && isRecord(tc.function) && typeof tc.function.name === 'string') {
    return { type: 'tool', name: tc.function.name };
  }
  if (isRecord(tc) && tc.type === 'allowed_tools' && isRecord(tc.allowed_tools)) {
    return { type: tc.allowed_tools.mode === 'required' ? 'required' : 'auto' };
  }
  return undefined;
}

export function stopList(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) {
    const l = stop.filter((s): s is string => typeof s === 'string');
    return l.length ? l : undefined;
  }
  return undefined;
}

export function parseChatTools(tools: unknown): NTool[] {
  if (!Array.isArray(tools)) return [];
  const out: NTool[] = [];
  for (const t of tools) {
    // Only function tools translate; `custom` (grammar) tools have no equivalent elsewhere.
    if (!isRecord(t) || t.type !== 'function' || !isRecord(t.function) || typeof t.function.name !== 'string') continue;
    const f = t.function;
    out.push({
      name: f.name as string,
      description: str(f.description),
      parameters: isRecord(f.parameters) ? f.parameters : { type: 'object', properties: {} },
      strict: typeof f.strict === 'boolean' ? f.strict : undefined,
    });
  }
  return out;
}

export function parseChatRequest(body: unknown): NRequest {
  if (!isRecord(body)) throw invalid('request body must be a JSON object');
  const b = body as ChatRequest;
  if (!Array.isArray(b.messages)) throw invalid('messages must be an array');
  const messages: NMessage[] = [];
  b.messages.forEach((m, i) => {
    if (!isRecord(m)) throw invalid(`messages[${i}] must be an object`);
    const where = `messages[${i}]`;
    if (m.role === 'system' || m.role === 'developer') {
      const parts = chatParts(m.content, where).filter((p): p is NText => p.type === 'text');
      messages.push({ role: 'system', kind: m.role, parts });
    } else if (m.role === 'user') {
      messages.push({ role: 'user', parts: chatParts(m.content, where) });
    } else if (m.role === 'assistant') {
      const parts: Array<NText | import('./neutral.js').NToolCall> = chatParts(m.content, where).filter((p): p is NText => p.type === 'text');
      if (typeof m.refusal === 'string' && m.refusal) parts.push({ type: 'text', text: m.refusal });
      for (const tc of (Array.isArray(m.tool_calls) ? m.tool_calls : []) as ChatToolCall[]) {
        if (!isRecord(tc) || !isRecord(tc.function)) continue;
        parts.push({ type: 'tool_call', id: str(tc.id) ?? newId('call_'), name: str(tc.function.name) ?? '', arguments: str(tc.function.arguments) ?? '' });
      }
      // reasoning_content in history is dropped: no target can verify it.
      messages.push({ role: 'assistant', parts });
    } else if (m.role === 'tool' || m.role === 'function') {
      const content = chatParts(m.content, where);
      const callId = str(m.tool_call_id) ?? str(m.name) ?? '';
      const result = { type: 'tool_result' as const, callId, content: content.length === 1 && content[0].type === 'text' ? content[0].text : content };
      const last = messages[messages.length - 1];
      // Consecutive tool messages answer one assistant turn: keep them together.
      if (last && last.role === 'user' && last.parts.every((p) => p.type === 'tool_result')) last.parts.push(result);
      else messages.push({ role: 'user', parts: [result] });
    } else {
      throw invalid(`${where}.role "${String(m.role)}" is not supported`);
    }
  });
  const rf = b.response_format;
  let responseFormat: NRequest['responseFormat'];
  if (isRecord(rf) && rf.type === 'json_schema' && isRecord(rf.json_schema)) {
    const js = rf.json_schema;
    responseFormat = { type: 'json_schema', name: str(js.name) ?? 'response', schema: js.schema, strict: typeof js.strict === 'boolean' ? js.strict : undefined, description: str(js.description) };
  } else if (isRecord(rf) && rf.type === 'json_object') responseFormat = { type: 'json_object' };
  return {
    model: str(b.model) ?? '',
    stream: b.stream === true,
    messages,
    tools: parseChatTools(b.tools),
    toolChoice: parseToolChoice(b.tool_choice),
    parallelToolCalls: typeof b.parallel_tool_calls === 'boolean' ? b.parallel_tool_calls : undefined,
    maxTokens: num(b.max_completion_tokens) ?? num(b.max_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    stop: stopList(b.stop),
    user: str(b.user) ?? str(b.safety_identifier),
    metadata: isRecord(b.metadata) ? (b.metadata as Record<string, string>) : undefined,
    responseFormat,
  };
}

export interface ChatBuildOptions {
  /** OpenAI's own reasoning models refuse `max_tokens`; most OpenAI-compatible servers only know it. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

function userContent(parts: Array<NText | NImage>): ChatMessage['content'] {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text;
  return parts.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: p.detail ? { url: imageToUrl(p), detail: p.detail as 'auto' } : { url: imageToUrl(p) } }));
}

export function buildChatMessages(messages: NMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system') {
      // Joined into one string: many OpenAI-compatible servers reject array content on system messages.
      // `developer` becomes `system` for the same reason (OpenAI treats them alike).
      out.push({ role: 'system', content: textOf(m.parts, '\n\n') });
    } else if (m.role === 'assistant') {
      const text = textOf(m.parts);
      const calls = m.parts.flatMap((p) => (p.type === 'tool_call' ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: p.arguments || '{}' } }] : []));
      const msg: ChatMessage = { role: 'assistant', content: text === '' && calls.length ? null : text };
      if (calls.length) msg.tool_calls = calls;
      out.push(msg);
    } else {
      // Tool results first (they answer the previous assistant turn), then the rest of the user turn.
      for (const p of m.parts) {
        if (p.type !== 'tool_result') continue;
        // Chat tool messages have no error flag and carry text only: images are dropped, errors marked.
        const text = toolResultText(p);
        out.push({ role: 'tool', tool_call_id: p.callId, content: p.isError ? `Error: ${text}` : text });
      }
      const rest = m.parts.filter((p): p is NText | NImage => p.type !== 'tool_result');
      if (rest.length) out.push({ role: 'user', content: userContent(rest) });
    }
  }
  return out;
}

function buildToolChoice(tc: NToolChoice): ChatRequest['tool_choice'] {
  if (tc.type === 'tool') return { type: 'function', function: { name: tc.name } };
  return tc.type;
}

export function buildChatRequest(req: NRequest, opts: ChatBuildOptions): ChatRequest {
  const out: ChatRequest = { model: req.model, messages: buildChatMessages(req.messages) };
  if (req.stream) {
    out.stream = true;
    // Always ask for the usage chunk: the client's dialect reports usage at the end of its stream.
    out.stream_options = { include_usage: true };
  }
  if (req.maxTokens !== undefined) out[opts.maxTokensField] = req.maxTokens;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.topP !== undefined) out.top_p = req.topP;
  if (req.stop?.length) out.stop = req.stop;
  if (req.user !== undefined) out.user = req.user;
  // tool_choice / parallel_tool_calls without tools are rejected by OpenAI: send them only with tools.
  if (req.tools.length) {
    out.tools = req.tools.map((t) => ({
      type: 'function' as const,
      function: { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), parameters: t.parameters, ...(t.strict !== undefined ? { strict: t.strict } : {}) },
    }));
    if (req.toolChoice) out.tool_choice = buildToolChoice(req.toolChoice);
    if (req.parallelToolCalls !== undefined) out.parallel_tool_calls = req.parallelToolCalls;
  }
  if (req.responseFormat?.type === 'json_schema') {
    const f = req.responseFormat;
    out.response_format = { type: 'json_schema', json_schema: { name: f.name, schema: f.schema, ...(f.strict !== undefined ? { strict: f.strict } : {}), ...(f.description ? { description: f.description } : {}) } };
  } else if (req.responseFormat) out.response_format = { type: 'json_object' };
  return out;
}

/** OpenAI `prompt_tokens` includes cache reads and writes; the neutral `input` excludes them (Anthropic's meaning). */
export function usageFromChat(u: unknown): NUsage | undefined {
  if (!isRecord(u)) return undefined;
  const c = u as Partial<ChatUsage>;
  const cacheRead = num(c.prompt_tokens_details?.cached_tokens);
  const cacheWrite = num(c.prompt_tokens_details?.cache_write_tokens) ?? num(c.cache_creation_input_tokens);
  const prompt = num(c.prompt_tokens);
  return {
    input: prompt === undefined ? undefined : prompt - (cacheRead ?? 0) - (cacheWrite ?? 0),
    output: num(c.completion_tokens),
    cacheRead,
    cacheWrite,
    reasoning: num(c.completion_tokens_details?.reasoning_tokens),
  };
}

/**
 * `prompt_tokens` / `completion_tokens` / `total_tokens` are required numbers (0 when unknown,
 * docs/CLIENTS.md); the details are optional and sent only with known figures. A cache-write figure
 * goes in `prompt_tokens_details.cache_write_tokens` (the `openai` SDK's field) and, for
 * LiteLLM-style readers, `cache_creation_input_tokens`.
 */
export function usageToChat(u: NUsage | undefined): ChatUsage | null {
  if (!u || (u.input === undefined && u.output === undefined)) return null;
  const prompt = (u.input ?? 0) + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0);
  const out: ChatUsage = { prompt_tokens: prompt, completion_tokens: u.output ?? 0, total_tokens: prompt + (u.output ?? 0) };
  if (u.cacheRead !== undefined || u.cacheWrite !== undefined) {
    out.prompt_tokens_details = {
      ...(u.cacheRead !== undefined ? { cached_tokens: u.cacheRead } : {}),
      ...(u.cacheWrite !== undefined ? { cache_write_tokens: u.cacheWrite } : {}),
    };
  }
  if (u.reasoning !== undefined) out.completion_tokens_details = { reasoning_tokens: u.reasoning };
  if (u.cacheWrite !== undefined) out.cache_creation_input_tokens = u.cacheWrite;
  return out;
}

export function stopFromChat(r: unknown, sawToolCall: boolean): NStop {
  if (r === 'length') return 'max_tokens';
  if (r === 'tool_calls' || r === 'function_call') return 'tool_use';
  if (r === 'content_filter') return 'content_filter';
  // Some OpenAI-compatible servers end tool-call turns with "stop".
  return sawToolCall ? 'tool_use' : 'end';
}

export function stopToChat(s: NStop): ChatFinishReason {
  return s === 'max_tokens' ? 'length' : s === 'tool_use' ? 'tool_calls' : s === 'content_filter' ? 'content_filter' : 'stop';
}

export function parseChatResponse(body: unknown): NResponse {
  const b = (isRecord(body) ? body : {}) as Partial<ChatCompletion>;
  const choice = Array.isArray(b.choices) ? b.choices[0] : undefined;
  const msg = choice && isRecord(choice.message) ? choice.message : undefined;
  const parts: NResponse['parts'] = [];
  const reasoning = str(msg?.reasoning_content) ?? str((msg as Record<string, unknown> | undefined)?.reasoning);
  if (reasoning) parts.push({ type: 'thinking', text: reasoning });
  if (typeof msg?.content === 'string' && msg.content !== '') parts.push({ type: 'text', text: msg.content });
  if (typeof msg?.refusal === 'string' && msg.refusal !== '') parts.push({ type: 'text', text: msg.refusal });
  for (const tc of Array.isArray(msg?.tool_calls) ? msg.tool_calls : []) {
    if (!isRecord(tc) || !isRecord(tc.function)) continue;
    parts.push({ type: 'tool_call', id: str(tc.id) ?? newId('call_'), name: str(tc.function.name) ?? '', arguments: str(tc.function.arguments) ?? '' });
  }
  return {
    id: str(b.id),
    model: str(b.model),
    parts,
    stop: stopFromChat(choice?.finish_reason, parts.some((p) => p.type === 'tool_call')),
    usage: usageFromChat(b.usage),
  };
}

export function renderChatResponse(res: NResponse, model: string): ChatCompletion {
  const text = textOf(res.parts);
  const reasoning = res.parts.flatMap((p) => (p.type === 'thinking' ? [p.text] : [])).join('');
  const calls = res.parts.flatMap((p) => (p.type === 'tool_call' ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: p.arguments } }] : []));
  const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content: text === '' && calls.length ? null : text, refusal: null };
  if (calls.length) message.tool_calls = calls;
  if (reasoning) message.reasoning_content = reasoning;
  return {
    id: res.id?.startsWith('chatcmpl-') ? res.id : newId('chatcmpl-'),
    object: 'chat.completion',
    created: nowSeconds(),
    model: res.model ?? model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: stopToChat(res.stop) }],
    usage: usageToChat(res.usage),
  };
}
