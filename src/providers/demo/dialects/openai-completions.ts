/**
 * Legacy OpenAI Completions (`text_completion`, used for FIM with `prompt` + `suffix`): JSON and SSE
 * ending in `data: [DONE]`, with a usage chunk only when `stream_options.include_usage` is set.
 */
import { formatSse } from '../../../sse/writer.js';
import { idFor, splitDeltas } from '../answer.js';
import { FINISH, FINGERPRINT } from './openai-chat.js';
import type { RenderContext, StreamPlan } from './render-types.js';

function usage(ctx: RenderContext) {
  const u = ctx.answer.usage;
  const prompt = u.input + u.cacheRead + u.cacheWrite;
  return { prompt_tokens: prompt, completion_tokens: u.output, total_tokens: prompt + u.output };
}

const finish = (ctx: RenderContext) => (ctx.answer.stop === 'max_tokens' ? FINISH.max_tokens : 'stop');

export function completionsJson(ctx: RenderContext): unknown {
  const a = ctx.answer;
  return {
    id: `cmpl-${idFor(a.seed, 'cmpl', 0, 29)}`,
    object: 'text_completion',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: FINGERPRINT,
    choices: [{ text: a.text, index: 0, logprobs: null, finish_reason: finish(ctx) }],
    usage: usage(ctx),
  };
}

export function completionsStream(ctx: RenderContext): StreamPlan {
  const a = ctx.answer;
  const id = `cmpl-${idFor(a.seed, 'cmpl', 0, 29)}`;
  const withUsage = ctx.view.includeUsage;
  const chunk = (choices: unknown[], u?: unknown) =>
    formatSse({
      data: JSON.stringify({
        id,
        object: 'text_completion',
        created: ctx.created,
        model: ctx.model,
        system_fingerprint: FINGERPRINT,
        choices,
        ...(withUsage ? { usage: u ?? null } : {}),
      }),
    });
  const frames = splitDeltas(a.text).map((t) => chunk([{ text: t, index: 0, logprobs: null, finish_reason: null }]));
  frames.push(chunk([{ text: '', index: 0, logprobs: null, finish_reason: finish(ctx) }]));
  let closing = 2;
  if (withUsage) {
    frames.push(chunk([], usage(ctx)));
    closing++;
  }
  frames.push('data: [DONE]\n\n');
  return { frames, closing };
}
