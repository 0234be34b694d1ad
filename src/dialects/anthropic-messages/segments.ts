/**
 * Where content travels in Anthropic Messages bodies (also count_tokens, which carries the same
 * conversation): `system` (string or text blocks), `messages[].content` (string or blocks; Claude Code also
 * puts a `role:"system"` message inside `messages`), `tool_result` content (string or blocks), `tool_use`
 * input leaves and `document` text sources. `thinking` / `redacted_thinking` blocks are signed by the
 * provider and are never segments: altering them breaks the conversation.
 */
import type { Segment, SegmentRole } from '../types.js';
import { isRecord, SegmentCollector, type SegmentExtractor } from '../segments.js';

function roleOf(r: unknown): SegmentRole {
  return r === 'assistant' ? 'assistant' : r === 'system' ? 'system' : 'user';
}

function addBlocks(c: SegmentCollector, path: (string | number)[], role: SegmentRole, blocks: unknown[], messageIndex?: number): void {
  blocks.forEach((b, j) => {
    if (!isRecord(b)) return;
    const at = [...path, j];
    switch (b.type) {
      case 'text':
        c.add([...at, 'text'], role, b.text, { messageIndex });
        break;
      case 'tool_use':
      case 'server_tool_use':
        c.addLeaves([...at, 'input'], 'tool_call', b.input, { tool: typeof b.name === 'string' ? b.name : undefined, messageIndex });
        break;
      case 'tool_result':
        c.addContent([...at, 'content'], 'tool_result', b.content, { messageIndex });
        break;
      case 'document':
        if (isRecord(b.source) && b.source.type === 'text') c.add([...at, 'source', 'data'], role, b.source.data, { messageIndex });
        else if (isRecord(b.source) && b.source.type === 'content' && Array.isArray(b.source.content))
          c.addContent([...at, 'source', 'content'], role, b.source.content, { messageIndex });
        break;
      default:
        // thinking, redacted_thinking (signed), image, search results: not ours to touch
        break;
    }
  });
}

export function requestSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (!isRecord(body)) return c.segments;
  if (typeof body.system === 'string') c.add(['system'], 'system', body.system);
  else if (Array.isArray(body.system)) addBlocks(c, ['system'], 'system', body.system);
  if (Array.isArray(body.messages)) {
    body.messages.forEach((m, i) => {
      if (!isRecord(m)) return;
      const role = roleOf(m.role);
      if (typeof m.content === 'string') c.add(['messages', i, 'content'], role, m.content, { messageIndex: i });
      else if (Array.isArray(m.content)) addBlocks(c, ['messages', i, 'content'], role, m.content, i);
    });
  }
  return c.segments;
}

export function responseSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (isRecord(body) && Array.isArray(body.content)) addBlocks(c, ['content'], 'assistant', body.content);
  return c.segments;
}

export const anthropicMessagesSegments: SegmentExtractor = { request: requestSegments, response: responseSegments };
