/**
 * OpenAI Responses answers: the `response` object and its SSE sequence, each event with `event:`
 * and a growing `sequence_number`: response.created → response.in_progress → per output item
 * (output_item.added, content_part.added, output_text.delta…, output_text.done, content_part.done |
 * function_call_arguments.delta…, .done) → output_item.done → response.completed (or
 * response.incomplete when max_output_tokens cut the text). A reasoning item comes first when the request
 * includes reasoning.encrypted_content or asks for a reasoning summary (reasoning_summary_part/_text
 * events). No `[DONE]`.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { formatSse } from '../../../sse/writer.js';
import { idFor, splitDeltas, type DemoAnswer } from '../answer.js';
import type { RequestView } from '../request-view.js';
import type { RenderContext, StreamPlan } from './render-types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function usage(a: DemoAnswer) {
  const input = a.usage.input + a.usage.cacheRead + a.usage.cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: a.usage.cacheRead },
    output_tokens: a.usage.output,
    output_tokens_details: { reasoning_tokens: a.thinking ? Math.ceil(a.thinking.text.length / 4) : 0 },
    total_tokens: input + a.usage.output,
  };
}

/** Completed output items, in order: reasoning, message, function calls. */
function items(a: DemoAnswer, view: RequestView): Obj[] {
  const out: Obj[] = [];
  if (a.thinking) {
    const item: Obj = { id: `rs_${idFor(a.seed, 'rs', 0, 40)}`, type: 'reasoning', summary: [] };
    if (view.reasoningSummary) item.summary = [{ type: 'summary_text', text: a.thinking.text }];
    // What Codex keeps and sends back; the "encryption" is an opaque deterministic token.
    if (view.encryptedReasoning) item.encrypted_content = 'gAAAAB' + Buffer.from(`${a.thinking.signature}:${a.thinking.text}`).toString('base64');
    out.push(item);
  }
  if (a.text || a.toolCalls.length === 0) {
    out.push({
      id: `msg_${idFor(a.seed, 'msg', 0, 40)}`,
      type: 'message',
      status: a.stop === 'max_tokens' ? 'incomplete' : 'completed',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: a.text }],
      role: 'assistant',
    });
  }
  a.toolCalls.forEach((c, i) => {
    out.push({
      id: `fc_${idFor(a.seed, 'fc', i, 40)}`,
      type: 'function_call',
      status: 'completed',
      arguments: c.arguments,
      call_id: `call_${idFor(a.seed, 'call', i)}`,
      name: c.name,
    });
  });
  return out;
}

function response(ctx: RenderContext, output: Obj[], status: string, withUsage: boolean): Obj {
  const a = ctx.answer;
  const b = ctx.body;
  const reasoning = isObj(b.reasoning) ? b.reasoning : {};
  return {
    id: `resp_${idFor(a.seed, 'resp', 0, 40)}`,
    object: 'response',
    created_at: ctx.created,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    model: ctx.model,
    output,
    parallel_tool_calls: b.parallel_tool_calls ?? true,
    previous_response_id: b.previous_response_id ?? null,
    prompt_cache_key: b.prompt_cache_key ?? null,
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    service_tier: 'default',
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: b.text ?? { format: { type: 'text' } },
    tool_choice: b.tool_choice ?? 'auto',
    tools: b.tools ?? [],
    top_p: b.top_p ?? 1,
    truncation: b.truncation ?? 'disabled',
    usage: withUsage ? usage(a) : null,
    user: b.user ?? null,
    metadata: b.metadata ?? {},
  };
}

const finalStatus = (a: DemoAnswer) => (a.stop === 'max_tokens' ? 'incomplete' : 'completed');

export function responsesJson(ctx: RenderContext): unknown {
  return response(ctx, items(ctx.answer, ctx.view), finalStatus(ctx.answer), true);
}

export function responsesStream(ctx: RenderContext): StreamPlan {
  const a = ctx.answer;
  const frames: string[] = [];
  let seq = 0;
  const emit = (type: string, data: Obj) =>
    frames.push(formatSse({ event: type, data: JSON.stringify({ type, sequence_number: seq++, ...data }) }));
  emit('response.created', { response: response(ctx, [], 'in_progress', false) });
  emit('response.in_progress', { response: response(ctx, [], 'in_progress', false) });
  const done = items(a, ctx.view);
  let call = 0;
  done.forEach((item, output_index) => {
    const item_id = item.id;
    if (item.type === 'reasoning') {
      const added: Obj = { ...item, summary: [] };
      if ('encrypted_content' in item) added.encrypted_content = null;
      emit('response.output_item.added', { output_index, item: added });
      (item.summary as { text: string }[]).forEach(({ text }, summary_index) => {
        const part = { type: 'summary_text', text: '' };
        emit('response.reasoning_summary_part.added', { item_id, output_index, summary_index, part });
        for (const delta of splitDeltas(text)) emit('response.reasoning_summary_text.delta', { item_id, output_index, summary_index, delta });
        emit('response.reasoning_summary_text.done', { item_id, output_index, summary_index, text });
        emit('response.reasoning_summary_part.done', { item_id, output_index, summary_index, part: { ...part, text } });
      });
    } else if (item.type === 'message') {
      emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const part = { type: 'output_text', annotations: [], logprobs: [], text: '' };
      emit('response.content_part.added', { item_id, output_index, content_index: 0, part });
      for (const delta of splitDeltas(a.text)) {
        emit('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
      }
      emit('response.output_text.done', { item_id, output_index, content_index: 0, text: a.text, logprobs: [] });
      emit('response.content_part.done', { item_id, output_index, content_index: 0, part: { ...part, text: a.text } });
    } else {
      const args = a.toolCalls[call++].arguments;
      emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
      for (const delta of splitDeltas(args)) emit('response.function_call_arguments.delta', { item_id, output_index, delta });
      emit('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: args });
    }
    emit('response.output_item.done', { output_index, item });
  });
  const status = finalStatus(a);
  emit(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: response(ctx, done, status, true) });
  return { frames, closing: 1 };
}
