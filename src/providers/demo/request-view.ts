/**
 * Reads what the demo answer depends on out of a request body in any dialect: how many messages,
 * which tools, the last user text and tool result, tool_choice, thinking. Lenient on purpose: the
 * validation that answers 400 happens before, in validate.ts.
 */
import type { DialectName } from '../../dialects/types.js';

export interface ToolDef {
  name: string;
  schema: unknown;
}

export interface RequestView {
  dialect: DialectName;
  model: string;
  stream: boolean;
  /** OpenAI chat/completions `stream_options.include_usage`. */
  includeUsage: boolean;
  messageCount: number;
  tools: ToolDef[];
  lastUserText: string;
  lastToolResult?: string;
  /** The conversation ends with a tool result: answer with text. */
  endsWithToolResult: boolean;
  /** 'any' = some tool must be called; a name = that tool. */
  forcedTool?: string;
  toolChoiceNone: boolean;
  parallelAllowed: boolean;
  /**
   * Anthropic `thinking` enabled/adaptive; Responses `include: ["reasoning.encrypted_content"]` or a
   * `reasoning.summary` other than none.
   */
  thinking: boolean;
  /** Responses: the reasoning item carries encrypted_content. */
  encryptedReasoning?: boolean;
  /** Responses: the reasoning item carries a summary. */
  reasoningSummary?: boolean;
  maxTokens?: number;
  /** Legacy completions: the FIM suffix, when given. */
  suffix?: string;
  /** OpenAI `stop`, Anthropic `stop_sequences`. */
  stopSequences: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Text of a content value: a string, or the `text` of its parts (text, input_text, output_text …). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const out: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') out.push(part);
    else if (isObj(part) && typeof part.text === 'string' && part.type !== 'tool_result') out.push(part.text);
  }
  return out.join('\n');
}

function base(dialect: DialectName, body: Obj, model: string): RequestView {
  return {
    dialect,
    model,
    stream: body.stream === true,
    includeUsage: isObj(body.stream_options) && body.stream_options.include_usage === true,
    messageCount: 0,
    tools: [],
    lastUserText: '',
    endsWithToolResult: false,
    toolChoiceNone: false,
    parallelAllowed: body.parallel_tool_calls !== false,
    thinking: false,
    stopSequences: stops(body.stop ?? body.stop_sequences),
  };
}

function stops(v: unknown): string[] {
  if (typeof v === 'string') return v ? [v] : [];
  return arr(v).filter((x): x is string => typeof x === 'string' && x.length > 0);
}

function chatView(body: Obj, v: RequestView): void {
  const messages = arr(body.messages);
  v.messageCount = messages.length;
  for (const m of messages) {
    if (!isObj(m)) continue;
    if (m.role === 'user') {
      const t = textOf(m.content);
      if (t) v.lastUserText = t;
    } else if (m.role === 'tool' || m.role === 'function') {
      v.lastToolResult = textOf(m.content);
    }
  }
  const last = messages.at(-1);
  v.endsWithToolResult = isObj(last) && (last.role === 'tool' || last.role === 'function');
  for (const t of arr(body.tools)) {
    if (isObj(t) && isObj(t.function) && typeof t.function.name === 'string') {
      v.tools.push({ name: t.function.name, schema: t.function.parameters });
    }
  }
  for (const f of arr(body.functions)) {
    if (isObj(f) && typeof f.name === 'string') v.tools.push({ name: f.name, schema: f.parameters });
  }
  const tc = body.tool_choice ?? body.function_call;
  if (tc === 'none') v.toolChoiceNone = true;
  else if (tc === 'required') v.forcedTool = 'any';
  else if (isObj(tc)) {
    const name = isObj(tc.function) ? str(tc.function.name) : str(tc.name);
    if (name) v.forcedTool = name;
  }
  v.maxTokens = num(body.max_completion_tokens) ?? num(body.max_tokens);
}

function anthropicView(body: Obj, v: RequestView): void {
  const messages = arr(body.messages);
  v.messageCount = messages.length;
  for (const m of messages) {
    if (!isObj(m) || m.role !== 'user') continue;
    const t = textOf(m.content);
    if (t) v.lastUserText = t;
    for (const block of arr(m.content)) {
      if (isObj(block) && block.type === 'tool_result') v.lastToolResult = textOf(block.content);
    }
  }
  const last = messages.at(-1);
  v.endsWithToolResult =
    isObj(last) && last.role === 'user' && arr(last.content).some((b) => isObj(b) && b.type === 'tool_result');
  for (const t of arr(body.tools)) {
    // Server tools (web_search, bash_20250124 …) carry a `type` and no input_schema: not callable here.
    if (isObj(t) && typeof t.name === 'string' && t.input_schema !== undefined) {
      v.tools.push({ name: t.name, schema: t.input_schema });
    }
  }
  const tc = body.tool_choice;
  if (isObj(tc)) {
    if (tc.type === 'none') v.toolChoiceNone = true;
    else if (tc.type === 'any') v.forcedTool = 'any';
    else if (tc.type === 'tool' && typeof tc.name === 'string') v.forcedTool = tc.name;
    if (tc.disable_parallel_tool_use === true) v.parallelAllowed = false;
  }
  const thinking = body.thinking;
  v.thinking = isObj(thinking) && (thinking.type === 'enabled' || thinking.type === 'adaptive');
  v.maxTokens = num(body.max_tokens);
}

function responsesTools(tools: unknown[], out: ToolDef[]): void {
  for (const t of tools) {
    if (!isObj(t)) continue;
    if (t.type === 'function' && typeof t.name === 'string') out.push({ name: t.name, schema: t.parameters });
    // Codex groups tools in namespaces; their members are callable by name.
    else if (t.type === 'namespace') responsesTools(arr(t.tools), out);
  }
}

function responsesView(body: Obj, v: RequestView): void {
  const input = body.input;
  if (typeof input === 'string') {
    v.messageCount = 1;
    v.lastUserText = input;
  } else {
    const items = arr(input);
    v.messageCount = items.length;
    for (const it of items) {
      if (!isObj(it)) continue;
      if (it.role === 'user' && (it.type === undefined || it.type === 'message')) {
        const t = textOf(it.content);
        if (t) v.lastUserText = t;
      } else if (it.type === 'function_call_output' || it.type === 'custom_tool_call_output') {
        v.lastToolResult = textOf(it.output);
      }
    }
    const last = items.at(-1);
    v.endsWithToolResult =
      isObj(last) && (last.type === 'function_call_output' || last.type === 'custom_tool_call_output');
  }
  responsesTools(arr(body.tools), v.tools);
  const tc = body.tool_choice;
  if (tc === 'none') v.toolChoiceNone = true;
  else if (tc === 'required') v.forcedTool = 'any';
  else if (isObj(tc) && tc.type === 'function' && typeof tc.name === 'string') v.forcedTool = tc.name;
  v.encryptedReasoning = arr(body.include).includes('reasoning.encrypted_content');
  const summary = isObj(body.reasoning) ? body.reasoning.summary : undefined;
  v.reasoningSummary = typeof summary === 'string' && summary !== 'none';
  v.thinking = v.encryptedReasoning || v.reasoningSummary;
  v.maxTokens = num(body.max_output_tokens);
}

function completionsView(body: Obj, v: RequestView): void {
  const p = body.prompt;
  v.messageCount = Array.isArray(p) && p.every((x) => typeof x === 'string') ? p.length : 1;
  v.lastUserText = typeof p === 'string' ? p : Array.isArray(p) ? p.map((x) => (typeof x === 'string' ? x : '')).join('\n') : '';
  v.suffix = str(body.suffix);
  v.maxTokens = num(body.max_tokens);
}

export function readRequest(dialect: DialectName, body: Obj, model: string): RequestView {
  const v = base(dialect, body, model);
  if (dialect === 'openai-chat') chatView(body, v);
  else if (dialect === 'anthropic-messages' || dialect === 'anthropic-count-tokens') anthropicView(body, v);
  else if (dialect === 'openai-responses') responsesView(body, v);
  else if (dialect === 'openai-completions') completionsView(body, v);
  return v;
}
