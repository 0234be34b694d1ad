/**
 * Where content travels in OpenAI chat completions: `messages[].content` (string or parts) for the
 * system/developer/user/assistant roles, `role:"tool"` (and legacy `role:"function"`) results — Qwen
 * Code sends those as an array of text parts, Cline as JSON inside a string — and assistant
 * `tool_calls[].function.arguments` / legacy `function_call.arguments`. Responses: `choices[].message`
 * content and tool-call arguments.
 */
import type { Segment, SegmentRole } from '../types.js';
import { isRecord, SegmentCollector, type SegmentExtractor } from '../segments.js';

function roleOf(r: unknown): SegmentRole {
  switch (r) {
    case 'system':
    case 'developer':
      return 'system';
    case 'assistant':
      return 'assistant';
    case 'tool':
    case 'function':
      return 'tool_result';
    default:
      return 'user';
  }
}

function addMessage(c: SegmentCollector, path: (string | number)[], m: Record<string, unknown>, role: SegmentRole, messageIndex?: number): void {
  const tool = role === 'tool_result' && typeof m.name === 'string' ? m.name : undefined;
  c.addContent([...path, 'content'], role, m.content, { messageIndex, tool });
  if (typeof m.refusal === 'string') c.add([...path, 'refusal'], role, m.refusal, { messageIndex });
  if (Array.isArray(m.tool_calls)) {
    m.tool_calls.forEach((tc, k) => {
      if (!isRecord(tc) || !isRecord(tc.function)) return;
      const name = typeof tc.function.name === 'string' ? tc.function.name : undefined;
      c.add([...path, 'tool_calls', k, 'function', 'arguments'], 'tool_call', tc.function.arguments, { tool: name, messageIndex });
    });
  }
  if (isRecord(m.function_call)) {
    const name = typeof m.function_call.name === 'string' ? m.function_call.name : undefined;
    c.add([...path, 'function_call', 'arguments'], 'tool_call', m.function_call.arguments, { tool: name, messageIndex });
  }
}

export function requestSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (!isRecord(body) || !Array.isArray(body.messages)) return c.segments;
  body.messages.forEach((m, i) => {
    if (isRecord(m)) addMessage(c, ['messages', i], m, roleOf(m.role), i);
  });
  return c.segments;
}

export function responseSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (!isRecord(body) || !Array.isArray(body.choices)) return c.segments;
  body.choices.forEach((ch, i) => {
    if (isRecord(ch) && isRecord(ch.message)) addMessage(c, ['choices', i, 'message'], ch.message, 'assistant', i);
  });
  return c.segments;
}

export const openaiChatSegments: SegmentExtractor = { request: requestSegments, response: responseSegments };
