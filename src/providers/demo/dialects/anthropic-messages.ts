/**
 * Anthropic Messages answers: the JSON message and its SSE stream (message_start, ping,
 * content_block_start/delta/stop per block, message_delta with the final usage, message_stop).
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
import { formatSse } from '../../../sse/writer.js';
import { idFor, splitDeltas, type DemoAnswer, type StopKind } from '../answer.js';
import type { RenderContext, StreamPlan } from './render-types.js';

const STOP: Record<StopKind, string> = { end: 'end_turn', tool: 'tool_use', max_tokens: 'max_tokens', stop_sequence: 'stop_sequence' };

type Block = Record<string, unknown>;

function blocks(a: DemoAnswer): Block[] {
  const out: Block[] = [];
  if (a.thinking) out.push({ type: 'thinking', thinking: a.thinking.text, signature: a.thinking.signature });
  if (a.text || a.toolCalls.length === 0) out.push({ type: 'text', text: a.text });
  a.toolCalls.forEach((c, i) => {
    out.push({ type: 'tool_use', id: `toolu_${idFor(a.seed, 'toolu', i)}`, name: c.name, input: safeParse(c.arguments) });
  });
  return out;
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

function usage(a: DemoAnswer, output: number) {
  return {
    input_tokens: a.usage.input,
    cache_creation_input_tokens: a.usage.cacheWrite,
    cache_read_input_tokens: a.usage.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: a.usage.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: 'standard',
  };
}

function message(ctx: RenderContext, content: Block[], done: boolean) {
  const a = ctx.answer;
  return {
    id: `msg_${idFor(a.seed, 'msg')}`,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: done ? STOP[a.stop] : null,
    stop_sequence: done ? (a.stopSequence ?? null) : null,
    stop_details: null,
    usage: usage(a, done ? a.usage.output : 1),
  };
}

export function anthropicJson(ctx: RenderContext): unknown {
  return message(ctx, blocks(ctx.answer), true);
}

const frame = (event: string, data: unknown) => formatSse({ event, data: JSON.stringify(data) });

export function anthropicStream(ctx: RenderContext): StreamPlan {
  const a = ctx.answer;
  const frames: string[] = [];
  frames.push(frame('message_start', { type: 'message_start', message: message(ctx, [], false) }));
  frames.push(frame('ping', { type: 'ping' }));
  let toolIndex = 0;
  blocks(a).forEach((b, index) => {
    const delta = (d: Block) => frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta: d }));
    if (b.type === 'thinking') {
      frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      for (const t of splitDeltas(b.thinking as string)) delta({ type: 'thinking_delta', thinking: t });
      delta({ type: 'signature_delta', signature: b.signature });
    } else if (b.type === 'text') {
      frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (const t of splitDeltas(b.text as string)) delta({ type: 'text_delta', text: t });
    } else {
      frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } }));
      // The arguments text exactly as planned (a scripted one may not be canonical JSON).
      for (const t of splitDeltas(a.toolCalls[toolIndex++].arguments)) delta({ type: 'input_json_delta', partial_json: t });
    }
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
  });
  frames.push(
    frame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: STOP[a.stop], stop_sequence: a.stopSequence ?? null, stop_details: null },
      usage: {
        input_tokens: a.usage.input,
        cache_creation_input_tokens: a.usage.cacheWrite,
        cache_read_input_tokens: a.usage.cacheRead,
        output_tokens: a.usage.output,
      },
    }),
  );
  frames.push(frame('message_stop', { type: 'message_stop' }));
  return { frames, closing: 2 };
}
