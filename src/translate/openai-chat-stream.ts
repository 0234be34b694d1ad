/**
 * OpenAI chat SSE on either side: a reader that turns upstream chunks into neutral events, and a
 * writer (explicit state machine) that renders neutral events as `chat.completion.chunk`s. Chat
 * streams end with `data: [DONE]`; the usage-only chunk (`choices: []`) is sent only when the client
 * asked for it with `stream_options.include_usage`.
 */
import type { ChatCompletionChunk, ChatToolCallDelta } from '../wire/openai-chat.js';
import type { SseEvent } from '../sse/parser.js';
import { isRecord, num, str } from './content-parts.js';
import { parseOpenAIStreamError, renderOpenAIError } from './error-kinds.js';
import { newId, nowSeconds } from './ids.js';
import type { NError, NStop, NStreamEvent, NStreamReader, NStreamWriter, NUsage } from './neutral.js';
import { mergeUsage } from './usage-merge.js';
import { stopFromChat, stopToChat, usageFromChat, usageToChat } from './openai-chat-helpers.js';

export function createChatStreamReader(): NStreamReader {
  const state = {
    started: false, // `start` emitted
    toolKeys: new Map<string, string>(), // upstream tool index/id → neutral key
    lastToolKey: undefined as string | undefined, // deltas without index/id continue the last call
    sawToolCall: false,
  };
  return {
    read(ev) {
      if (ev.data.trim() === '[DONE]') return [{ t: 'done' }];
      let j: unknown;
      try {
        j = JSON.parse(ev.data);
      } catch {
        return [];
      }
      if (!isRecord(j)) return [];
      if (j.error !== undefined) return [{ t: 'error', error: parseOpenAIStreamError(j) }];
      const out: NStreamEvent[] = [];
      if (!state.started) {
        state.started = true;
        out.push({ t: 'start', id: str(j.id), model: str(j.model) });
      }
      const choice = Array.isArray(j.choices) && isRecord(j.choices[0]) ? (j.choices[0] as ChatCompletionChunk['choices'][number]) : undefined;
      const delta = choice && isRecord(choice.delta) ? choice.delta : undefined;
      if (delta) {
        const reasoning = str(delta.reasoning_content) ?? str(delta.reasoning);
        if (reasoning) out.push({ t: 'thinking', text: reasoning });
        if (typeof delta.content === 'string' && delta.content !== '') out.push({ t: 'text', text: delta.content });
        for (const tc of (Array.isArray(delta.tool_calls) ? delta.tool_calls : []) as ChatToolCallDelta[]) {
          if (!isRecord(tc)) continue;
          const upstreamKey = num(tc.index) !== undefined ? `i${tc.index}` : str(tc.id) !== undefined ? `id${tc.id}` : undefined;
          let key = upstreamKey !== undefined ? state.toolKeys.get(upstreamKey) : state.lastToolKey;
          if (key === undefined) {
            key = String(state.toolKeys.size);
            state.toolKeys.set(upstreamKey ?? `n${key}`, key);
            state.sawToolCall = true;
            out.push({ t: 'tool_start', key, id: str(tc.id) ?? newId('call_'), name: str(tc.function?.name) ?? '' });
          }
          state.lastToolKey = key;
          const args = str(tc.function?.arguments);
          if (args) out.push({ t: 'tool_args', key, delta: args });
        }
      }
      if (choice?.finish_reason) out.push({ t: 'finish', stop: stopFromChat(choice.finish_reason, state.sawToolCall) });
      const usage = usageFromChat(j.usage);
      if (usage) out.push({ t: 'usage', usage });
      return out;
    },
  };
}

export interface ChatStreamWriterOptions {
  model: string;
  /** The client sent `stream_options.include_usage: true`. */
  includeUsage: boolean;
}

export function createChatStreamWriter(opts: ChatStreamWriterOptions): NStreamWriter {
  const state = {
    id: newId('chatcmpl-'),
    model: opts.model,
    created: nowSeconds(),
    started: false, // the role chunk was sent
    toolIndex: new Map<string, number>(), // neutral key → client tool_calls[].index
    stop: undefined as NStop | undefined, // upstream finish seen
    usage: undefined as NUsage | undefined,
    closed: false, // closing events (or an error) were emitted; nothing may follow
  };
  const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): SseEvent => ({
    data: JSON.stringify({ id: state.id, object: 'chat.completion.chunk', created: state.created, model: state.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }),
  });
  const emitStart = (out: SseEvent[]) => {
    if (state.started) return;
    state.started = true;
    out.push(chunk({ role: 'assistant', content: '' }));
  };
  const emitError = (err: NError): SseEvent[] => {
    state.closed = true;
    return [{ data: JSON.stringify(renderOpenAIError(err).body) }];
  };
  const emitClose = (): SseEvent[] => {
    const out: SseEvent[] = [];
    emitStart(out);
    state.closed = true;
    out.push(chunk({}, stopToChat(state.stop ?? 'end')));
    if (opts.includeUsage) {
      out.push({ data: JSON.stringify({ id: state.id, object: 'chat.completion.chunk', created: state.created, model: state.model, choices: [], usage: usageToChat(state.usage) }) });
    }
    out.push({ data: '[DONE]' });
    return out;
  };
  return {
    write(ev) {
      if (state.closed) return [];
      const out: SseEvent[] = [];
      switch (ev.t) {
        case 'start':
          if (ev.id?.startsWith('chatcmpl-')) state.id = ev.id;
          if (ev.usage) state.usage = mergeUsage(state.usage, ev.usage);
          emitStart(out);
          break;
        case 'text':
          emitStart(out);
          out.push(chunk({ content: ev.text }));
          break;
        case 'thinking':
          emitStart(out);
          out.push(chunk({ reasoning_content: ev.text }));
          break;
        case 'tool_start': {
          emitStart(out);
          const index = state.toolIndex.size;
          state.toolIndex.set(ev.key, index);
          out.push(chunk({ tool_calls: [{ index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }] }));
          break;
        }
        case 'tool_args': {
          const index = state.toolIndex.get(ev.key);
          if (index !== undefined) out.push(chunk({ tool_calls: [{ index, function: { arguments: ev.delta } }] }));
          break;
        }
        case 'usage':
          state.usage = mergeUsage(state.usage, ev.usage);
          break;
        case 'finish':
          state.stop = ev.stop;
          break;
        case 'error':
          return emitError(ev.error);
        case 'done':
          return emitClose();
      }
      return out;
    },
    end() {
      if (state.closed) return [];
      // An upstream that stops without finishing must not look like a complete answer.
      if (state.stop === undefined) return emitError({ status: 502, kind: 'server', message: 'upstream stream ended before the response was complete' });
      return emitClose();
    },
  };
}
