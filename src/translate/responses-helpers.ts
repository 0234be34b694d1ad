/**
 * OpenAI Responses requests on either side: parse what a Responses client (Codex) sends into the
 * neutral model, and build a Responses request from it. Responses output is in responses-output.ts,
 * streams in responses-stream.ts.
 */
import { GatewayError } from '../errors.js';
import type { ResponsesRequest } from '../wire/openai-responses.js';
import { imageFromUrl, imageToUrl, isRecord, num, str, toolResultText } from './content-parts.js';
import { newId } from './ids.js';
import type { NImage, NMessage, NRequest, NText, NTool, NToolCall, NToolChoice, NToolResult } from './neutral.js';

export const RESPONSES_ROUTE = '/v1/responses';

/**
 * How a flattened tool name maps back to what the Responses client declared: `namespace` tools are
 * flattened to `<namespace>__<name>` (other dialects have no namespaces) and `custom` (free-form
 * input) tools become functions with one string parameter `input`.
 */
export interface ResponsesToolOrigin {
  name: string;
  namespace?: string;
  custom?: boolean;
}
export type ResponsesToolMap = Map<string, ResponsesToolOrigin>;

const CUSTOM_PARAMETERS = { type: 'object', properties: { input: { type: 'string', description: 'The raw input for the tool.' } }, required: ['input'] };

function invalid(msg: string): GatewayError {
  return new GatewayError('KT_ERR_INVALID_REQUEST', msg);
}

function contentParts(content: unknown): Array<NText | NImage> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  const out: Array<NText | NImage> = [];
  for (const p of content.filter(isRecord)) {
    if ((p.type === 'input_text' || p.type === 'output_text') && typeof p.text === 'string') out.push({ type: 'text', text: p.text });
    else if (p.type === 'refusal' && typeof p.refusal === 'string') out.push({ type: 'text', text: p.refusal });
    else if (p.type === 'input_image' && typeof p.image_url === 'string') out.push(imageFromUrl(p.image_url, str(p.detail)));
    // input_file, file_id images and audio have no counterpart in the other dialects: dropped.
  }
  return out;
}

function flatName(name: string, namespace?: string): string {
  return namespace ? `${namespace}__${name}` : name;
}

function addTool(tools: NTool[], map: ResponsesToolMap, t: Record<string, unknown>, namespace?: string): void {
  if (typeof t.name !== 'string') return;
  const name = flatName(t.name, namespace);
  if (t.type === 'function') {
    tools.push({ name, description: str(t.description), parameters: isRecord(t.parameters) ? t.parameters : { type: 'object', properties: {} }, strict: typeof t.strict === 'boolean' ? t.strict : undefined });
    map.set(name, { name: t.name, namespace });
  } else if (t.type === 'custom') {
    tools.push({ name, description: str(t.description), parameters: CUSTOM_PARAMETERS });
    map.set(name, { name: t.name, namespace, custom: true });
  }
}

/**
 * A named tool_choice must use the flattened name the tools were sent under: `{type:function,
 * name:"read"}` for a tool declared inside `namespace fs` becomes `fs__read` (Anthropic and chat
 * reject a tool_choice naming no sent tool). An explicit `namespace`, or an already-flat name, is kept.
 */
function parseToolChoice(tc: unknown, map: ResponsesToolMap): NToolChoice | undefined {
  if (tc === 'none' || tc === 'auto') return { type: tc };
  if (tc === 'required') return { type: 'required' };
  if (isRecord(tc) && (tc.type === 'function' || tc.type === 'custom') && typeof tc.name === 'string') return { type: 'tool', name: flatChoiceName(tc.name, str(tc.namespace), map) };
  if (isRecord(tc) && tc.type === 'allowed_tools') return { type: tc.mode === 'required' ? 'required' : 'auto' };
  return undefined;
}

function flatChoiceName(name: string, namespace: string | undefined, map: ResponsesToolMap): string {
  if (namespace) return flatName(name, namespace);
  if (map.has(name) && !map.get(name)!.namespace) return name;
  for (const [flat, origin] of map) if (origin.name === name && origin.namespace) return flat;
  return name;
}

function appendAssistant(messages: NMessage[], part: NText | NToolCall): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') last.parts.push(part);
  else messages.push({ role: 'assistant', parts: [part] });
}

function appendToolResult(messages: NMessage[], part: NToolResult): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'user' && last.parts.every((p) => p.type === 'tool_result')) last.parts.push(part);
  else messages.push({ role: 'user', parts: [part] });
}

function toolOutput(output: unknown): NToolResult['content'] {
  if (typeof output === 'string') return output;
  const parts = contentParts(output);
  return parts.length === 1 && parts[0].type === 'text' ? parts[0].text : parts;
}

export function parseResponsesRequest(body: unknown): { req: NRequest; tools: ResponsesToolMap } {
  if (!isRecord(body)) throw invalid('request body must be a JSON object');
  const b = body as ResponsesRequest;
  const messages: NMessage[] = [];
  if (typeof b.instructions === 'string' && b.instructions !== '') messages.push({ role: 'system', kind: 'system', parts: [{ type: 'text', text: b.instructions }] });
  if (typeof b.input === 'string') messages.push({ role: 'user', parts: [{ type: 'text', text: b.input }] });
  else if (Array.isArray(b.input)) {
    b.input.forEach((it, i) => {
      if (!isRecord(it)) throw invalid(`input[${i}] must be an object`);
      const type = it.type ?? 'message';
      if (type === 'message') {
        const parts = contentParts(it.content);
        if (it.role === 'system' || it.role === 'developer') messages.push({ role: 'system', kind: it.role, parts: parts.filter((p): p is NText => p.type === 'text') });
        else if (it.role === 'user') messages.push({ role: 'user', parts });
        else if (it.role === 'assistant') for (const p of parts) if (p.type === 'text') appendAssistant(messages, p);
      } else if (type === 'function_call') {
        appendAssistant(messages, { type: 'tool_call', id: str(it.call_id) ?? newId('call_'), name: flatName(str(it.name) ?? '', str(it.namespace)), arguments: str(it.arguments) ?? '' });
      } else if (type === 'custom_tool_call') {
        appendAssistant(messages, { type: 'tool_call', id: str(it.call_id) ?? newId('call_'), name: flatName(str(it.name) ?? '', str(it.namespace)), arguments: JSON.stringify({ input: str(it.input) ?? '' }), custom: true });
      } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
        appendToolResult(messages, { type: 'tool_result', callId: str(it.call_id) ?? '', content: toolOutput(it.output) });
      }
      // reasoning items (encrypted_content included) stay with the provider that made them; built-in
      // tool calls (web_search_call, local_shell_call …) and item references have no counterpart.
    });
  }
  const tools: NTool[] = [];
  const map: ResponsesToolMap = new Map();
  for (const t of Array.isArray(b.tools) ? (b.tools as unknown[]).filter(isRecord) : []) {
    if (t.type === 'namespace' && typeof t.name === 'string' && Array.isArray(t.tools)) for (const inner of t.tools.filter(isRecord)) addTool(tools, map, inner, t.name);
    else addTool(tools, map, t);
  }
  const fmt = isRecord(b.text) && isRecord(b.text.format) ? b.text.format : undefined;
  let responseFormat: NRequest['responseFormat'];
  if (fmt?.type === 'json_schema') responseFormat = { type: 'json_schema', name: str(fmt.name) ?? 'response', schema: fmt.schema, strict: typeof fmt.strict === 'boolean' ? fmt.strict : undefined, description: str(fmt.description) };
  else if (fmt?.type === 'json_object') responseFormat = { type: 'json_object' };
  const req: NRequest = {
    model: str(b.model) ?? '',
    stream: b.stream === true,
    messages,
    tools,
    toolChoice: parseToolChoice(b.tool_choice, map),
    parallelToolCalls: typeof b.parallel_tool_calls === 'boolean' ? b.parallel_tool_calls : undefined,
    maxTokens: num(b.max_output_tokens),
    temperature: num(b.temperature),
    topP: num(b.top_p),
    user: str(b.user) ?? str(b.safety_identifier),
    metadata: isRecord(b.metadata) ? (b.metadata as Record<string, string>) : undefined,
    responseFormat,
  };
  return { req, tools: map };
}

function inputContent(parts: Array<NText | NImage>, role: string): unknown[] {
  return parts.map((p) =>
    p.type === 'text'
      ? role === 'assistant'
        ? { type: 'output_text', text: p.text, annotations: [] }
        : { type: 'input_text', text: p.text }
      : { type: 'input_image', image_url: imageToUrl(p), detail: p.detail ?? 'auto' },
  );
}

export function buildResponsesRequest(req: NRequest): ResponsesRequest {
  const input: unknown[] = [];
  for (const m of req.messages) {
    if (m.role === 'system') input.push({ type: 'message', role: m.kind, content: inputContent(m.parts, m.kind) });
    else if (m.role === 'assistant') {
      const text = m.parts.filter((p): p is NText => p.type === 'text' && p.text !== '');
      if (text.length) input.push({ type: 'message', role: 'assistant', content: inputContent(text, 'assistant') });
      for (const p of m.parts) if (p.type === 'tool_call') input.push({ type: 'function_call', call_id: p.id, name: p.name, arguments: p.arguments || '{}' });
    } else {
      for (const p of m.parts) {
        if (p.type !== 'tool_result') continue;
        // function_call_output has no error flag: an error result is marked in its text (images kept).
        let output: unknown;
        if (typeof p.content === 'string') output = p.isError ? `Error: ${p.content}` : p.content;
        else if (p.content.every((c) => c.type === 'text')) output = (p.isError ? 'Error: ' : '') + toolResultText(p);
        else output = inputContent(p.isError ? [{ type: 'text', text: 'Error:' }, ...p.content] : p.content, 'user');
        input.push({ type: 'function_call_output', call_id: p.callId, output });
      }
      const rest = m.parts.filter((p): p is NText | NImage => p.type !== 'tool_result');
      if (rest.length) input.push({ type: 'message', role: 'user', content: inputContent(rest, 'user') });
    }
  }
  // store:false — a translated conversation is always sent whole, so nothing needs to be kept upstream.
  const out: ResponsesRequest = { model: req.model, input: input as ResponsesRequest['input'], store: false };
  if (req.stream) out.stream = true;
  if (req.maxTokens !== undefined) out.max_output_tokens = req.maxTokens;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.topP !== undefined) out.top_p = req.topP;
  if (req.user !== undefined) out.user = req.user;
  if (req.metadata) out.metadata = req.metadata;
  if (req.tools.length) {
    // Responses defaults `strict` to true, which rejects most hand-written schemas: keep the client's choice, else false.
    out.tools = req.tools.map((t) => ({ type: 'function' as const, name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), parameters: t.parameters, strict: t.strict ?? false }));
    const tc = req.toolChoice;
    if (tc) out.tool_choice = tc.type === 'tool' ? { type: 'function', name: tc.name } : tc.type;
    if (req.parallelToolCalls !== undefined) out.parallel_tool_calls = req.parallelToolCalls;
  }
  const f = req.responseFormat;
  if (f?.type === 'json_schema') out.text = { format: { type: 'json_schema', name: f.name, schema: f.schema, strict: f.strict ?? false, ...(f.description ? { description: f.description } : {}) } };
  else if (f) out.text = { format: { type: 'json_object' } };
  return out;
}
