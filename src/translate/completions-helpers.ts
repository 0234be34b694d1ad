/**
 * Legacy OpenAI Completions (`/v1/completions`, incl. fill-in-the-middle) as a client dialect, for
 * targets that have only a chat endpoint. A chat model gets the prompt (and suffix) with a short
 * instruction; the answer is returned as `text_completion` JSON or chunks.
 */
import { GatewayError } from '../errors.js';
import type { SseEvent } from '../sse/parser.js';
import type { Completion } from '../wire/openai-completions.js';
import { isRecord, num, str, textOf } from './content-parts.js';
import { renderOpenAIError } from './error-kinds.js';
import { newId, nowSeconds } from './ids.js';
import type { ClientCodec, NError, NRequest, NResponse, NStop, NStreamWriter, NUsage } from './neutral.js';
import { stopList, usageToChat } from './openai-chat-helpers.js';
import { mergeUsage } from './usage-merge.js';

/** The legacy endpoint's documented default when `max_tokens` is absent. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

export const CONTINUE_INSTRUCTION = 'Continue the text the user sends. Reply with the continuation only: do not repeat the text, do not add commentary or code fences.';
export const FIM_INSTRUCTION =
  'Fill in the middle. The user sends a prefix and a suffix. Reply with only the text that belongs between them: do not repeat either, do not add commentary or code fences.';

function invalid(msg: string): GatewayError {
  return new GatewayError('KT_ERR_INVALID_REQUEST', msg);
}

export function parseCompletionsRequest(body: unknown): { req: NRequest; prompt: string; echo: boolean; includeUsage: boolean } {
  if (!isRecord(body)) throw invalid('request body must be a JSON object');
  let prompt: string;
  if (typeof body.prompt === 'string') prompt = body.prompt;
  else if (Array.isArray(body.prompt) && body.prompt.length === 1 && typeof body.prompt[0] === 'string') prompt = body.prompt[0];
  else throw invalid('prompt must be one string when the target has no completions endpoint (token arrays and batches cannot be translated)');
  if (num(body.n) !== undefined && (body.n as number) > 1) throw invalid('n > 1 cannot be translated for a chat target');
  const suffix = str(body.suffix) ?? '';
  const user = suffix ? `<prefix>${prompt}</prefix><suffix>${suffix}</suffix>` : prompt;
  const req: NRequest = {
    model: str(body.model) ?? '',
    stream: body.stream === true,
    messages: [
      { role: 'system', kind: 'system', parts: [{ type: 'text', text: suffix ? FIM_INSTRUCTION : CONTINUE_INSTRUCTION }] },
      { role: 'user', parts: [{ type: 'text', text: user }] },
    ],
    tools: [],
    maxTokens: num(body.max_tokens) ?? COMPLETIONS_DEFAULT_MAX_TOKENS,
    temperature: num(body.temperature),
    topP: num(body.top_p),
    stop: stopList(body.stop),
    user: str(body.user),
  };
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  return { req, prompt, echo: body.echo === true, includeUsage };
}

function finishOf(stop: NStop): 'stop' | 'length' | 'content_filter' {
  return stop === 'max_tokens' ? 'length' : stop === 'content_filter' ? 'content_filter' : 'stop';
}

interface CompletionsCtx {
  model: string;
  prompt: string;
  echo: boolean;
  includeUsage: boolean;
}

export function renderCompletion(res: NResponse, ctx: CompletionsCtx): Completion {
  return {
    id: newId('cmpl-'),
    object: 'text_completion',
    created: nowSeconds(),
    model: res.model ?? ctx.model,
    choices: [{ text: (ctx.echo ? ctx.prompt : '') + textOf(res.parts), index: 0, logprobs: null, finish_reason: finishOf(res.stop) }],
    usage: usageToChat(res.usage),
  };
}

export function createCompletionsStreamWriter(ctx: CompletionsCtx): NStreamWriter {
  const state = {
    id: newId('cmpl-'),
    created: nowSeconds(),
    echoed: false, // the prompt was sent (echo: true)
    stop: undefined as NStop | undefined,
    usage: undefined as NUsage | undefined,
    closed: false,
  };
  const chunk = (text: string, finish: string | null = null): SseEvent => ({
    data: JSON.stringify({ id: state.id, object: 'text_completion', created: state.created, model: ctx.model, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] }),
  });
  const emitEcho = (out: SseEvent[]) => {
    if (state.echoed || !ctx.echo) return;
    state.echoed = true;
    out.push(chunk(ctx.prompt));
  };
  const emitError = (err: NError): SseEvent[] => {
    state.closed = true;
    return [{ data: JSON.stringify(renderOpenAIError(err).body) }];
  };
  const emitClose = (): SseEvent[] => {
    const out: SseEvent[] = [];
    emitEcho(out);
    state.closed = true;
    out.push(chunk('', finishOf(state.stop ?? 'end')));
    if (ctx.includeUsage) out.push({ data: JSON.stringify({ id: state.id, object: 'text_completion', created: state.created, model: ctx.model, choices: [], usage: usageToChat(state.usage) }) });
    out.push({ data: '[DONE]' });
    return out;
  };
  return {
    write(ev) {
      if (state.closed) return [];
      const out: SseEvent[] = [];
      if (ev.t === 'start') state.usage = mergeUsage(state.usage, ev.usage);
      else if (ev.t === 'text') {
        emitEcho(out);
        out.push(chunk(ev.text));
      } else if (ev.t === 'usage') state.usage = mergeUsage(state.usage, ev.usage);
      else if (ev.t === 'finish') state.stop = ev.stop;
      else if (ev.t === 'error') return emitError(ev.error);
      else if (ev.t === 'done') return emitClose();
      return out;
    },
    end() {
      if (state.closed) return [];
      if (state.stop === undefined) return emitError({ status: 502, kind: 'server', message: 'upstream stream ended before the response was complete' });
      return emitClose();
    },
  };
}

export function completionsClientCodec(): ClientCodec {
  const ctx: CompletionsCtx = { model: '', prompt: '', echo: false, includeUsage: false };
  return {
    parseRequest(body) {
      const p = parseCompletionsRequest(body);
      Object.assign(ctx, { model: p.req.model, prompt: p.prompt, echo: p.echo, includeUsage: p.includeUsage });
      return p.req;
    },
    renderResponse: (res) => renderCompletion(res, ctx),
    createStreamWriter: () => createCompletionsStreamWriter(ctx),
    renderError: renderOpenAIError,
  };
}
