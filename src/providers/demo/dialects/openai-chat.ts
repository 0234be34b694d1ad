/**
 * OpenAI Chat Completions answers: `chat.completion` JSON and `chat.completion.chunk` SSE ending in
 * `data: [DONE]`. The usage chunk (empty `choices`) is sent only when the request set
 * `stream_options.include_usage`; every chunk then carries `usage: null` before it, as OpenAI does.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
import { formatSse } from '../../../sse/writer.js';
import { idFor, splitDeltas, type DemoAnswer, type StopKind } from '../answer.js';
import type { RenderContext, StreamPlan } from './render-types.js';

export const FINISH: Record<StopKind, string> = { end: 'stop', tool: 'tool_calls', max_tokens: 'length', stop_sequence: 'stop' };
export const FINGERPRINT = 'fp_kt_demo';

/** OpenAI usage: prompt_tokens includes cached tokens. */
export function openaiUsage(a: DemoAnswer) {
  const prompt = a.usage.input + a.usage.cacheRead + a.usage.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: a.usage.output,
    total_tokens: prompt + a.usage.output,
    prompt_tokens_details: { cached_tokens: a.usage.cacheRead, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

const callId = (a: DemoAnswer, i: number) => `call_${idFor(a.seed, 'call', i)}`;

export function chatJson(ctx: RenderContext): unknown {
  const a = ctx.answer;
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: a.toolCalls.length > 0 && !a.text ? null : a.text,
    refusal: null,
    annotations: [],
  };
  if (a.toolCalls.length > 0) {
    message.tool_calls = a.toolCalls.map((c, i) => ({ id: callId(a, i), type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return {
    id: `chatcmpl-${idFor(a.seed, 'chatcmpl', 0, 29)}`,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[a.stop] }],
    usage: openaiUsage(a),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
}

export function chatStream(ctx: RenderContext): StreamPlan {
  const a = ctx.answer;
  const id = `chatcmpl-${idFor(a.seed, 'chatcmpl', 0, 29)}`;
  const withUsage = ctx.view.includeUsage;
  const chunk = (choices: unknown[], usage?: unknown) =>
    formatSse({
      data: JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created: ctx.created,
        model: ctx.model,
        service_tier: 'default',
        system_fingerprint: FINGERPRINT,
        choices,
        ...(withUsage ? { usage: usage ?? null } : {}),
      }),
    });
  const delta = (d: Record<string, unknown>, finish: string | null = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  const frames: string[] = [delta({ role: 'assistant', content: '', refusal: null })];
  for (const t of splitDeltas(a.text)) frames.push(delta({ content: t }));
  a.toolCalls.forEach((c, index) => {
    frames.push(delta({ tool_calls: [{ index, id: callId(a, index), type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const piece of splitDeltas(c.arguments)) frames.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  frames.push(delta({}, FINISH[a.stop]));
  let closing = 2;
  if (withUsage) {
    frames.push(chunk([], openaiUsage(a)));
    closing++;
  }
  frames.push('data: [DONE]\n\n');
  return { frames, closing };
}
