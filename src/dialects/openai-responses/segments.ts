/**
 * Where content travels in the OpenAI Responses API: `instructions`, `input` (a string or items: messages
 * with string or parts content — Codex sends its system text as `developer` items — `function_call`
 * arguments, `function_call_output` output (string or parts), custom tool calls and local shell
 * commands). Responses: `output[]` message text and function-call arguments. `reasoning` items carry
 * `encrypted_content` and are never segments.
 */
import type { Segment, SegmentRole } from '../types.js';
import { isRecord, SegmentCollector, type SegmentExtractor } from '../segments.js';

function roleOf(r: unknown): SegmentRole {
  return r === 'system' || r === 'developer' ? 'system' : r === 'assistant' ? 'assistant' : 'user';
}

function addItems(c: SegmentCollector, root: string, items: unknown[], defaultRole: SegmentRole): void {
  items.forEach((it, i) => {
    if (!isRecord(it)) return;
    const at = [root, i];
    const name = typeof it.name === 'string' ? it.name : undefined;
    switch (it.type) {
      case undefined:
      case 'message':
        c.addContent([...at, 'content'], it.role === undefined ? defaultRole : roleOf(it.role), it.content, { messageIndex: i });
        break;
      case 'function_call':
        c.add([...at, 'arguments'], 'tool_call', it.arguments, { tool: name, messageIndex: i });
        break;
      case 'custom_tool_call':
        c.add([...at, 'input'], 'tool_call', it.input, { tool: name, messageIndex: i });
        break;
      case 'local_shell_call':
      case 'shell_call':
        c.addLeaves([...at, 'action'], 'tool_call', it.action, { tool: it.type, messageIndex: i });
        break;
      case 'function_call_output':
      case 'custom_tool_call_output':
      case 'local_shell_call_output':
      case 'shell_call_output':
        if (typeof it.output === 'string' || Array.isArray(it.output)) c.addContent([...at, 'output'], 'tool_result', it.output, { messageIndex: i });
        break;
      default:
        // reasoning (encrypted), images, web search calls: not ours to touch
        break;
    }
  });
}

export function requestSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (!isRecord(body)) return c.segments;
  c.add(['instructions'], 'system', body.instructions);
  if (typeof body.input === 'string') c.add(['input'], 'user', body.input, { messageIndex: 0 });
  else if (Array.isArray(body.input)) addItems(c, 'input', body.input, 'user');
  return c.segments;
}

export function responseSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (isRecord(body) && Array.isArray(body.output)) addItems(c, 'output', body.output, 'assistant');
  return c.segments;
}

export const openaiResponsesSegments: SegmentExtractor = { request: requestSegments, response: responseSegments };
