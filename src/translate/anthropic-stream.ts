/**
 * Anthropic Messages SSE on either side: a reader turning upstream events into neutral events, and a
 * writer (explicit state machine) producing message_start → content_block_start/delta/stop… →
 * message_delta (stop reason + final usage) → message_stop. No `[DONE]` in this dialect.
 */
import type { SseEvent } from '../sse/parser.js';
import { isRecord, str } from './content-parts.js';
import { kindFromAnthropicType, parseAnthropicError, renderAnthropicError, statusForKind } from './error-kinds.js';
import { newId } from './ids.js';
import type { NError, NStop, NStreamEvent, NStreamReader, NStreamWriter, NUsage } from './neutral.js';
import { stopFromAnthropic, stopToAnthropic, usageFromAnthropic, usageToAnthropic } from './anthropic-helpers.js';
import { createToolSequencer } from './tool-sequencer.js';
import { mergeUsage } from './usage-merge.js';

type BlockKind = 'text' | 'tool' | 'thinking' | 'other';

export function createAnthropicStreamReader(): NStreamReader {
  const blocks = new Map<number, BlockKind>(); // upstream block index → what its deltas mean
  return {
    read(ev) {
      let j: unknown;
      try {
        j = JSON.parse(ev.data);
      } catch {
        return [];
      }
      if (!isRecord(j)) return [];
      const type = str(j.type) ?? ev.event;
      const index = typeof j.index === 'number' ? j.index : -1;
      switch (type) {
        case 'message_start': {
          const m = isRecord(j.message) ? j.message : {};
          return [{ t: 'start', id: str(m.id), model: str(m.model), usage: usageFromAnthropic(m.usage) }];
        }
        case 'content_block_start': {
          const cb = isRecord(j.content_block) ? j.content_block : {};
          if (cb.type === 'text') {
            blocks.set(index, 'text');
            return typeof cb.text === 'string' && cb.text ? [{ t: 'text', text: cb.text }] : [];
          }
          if (cb.type === 'tool_use') {
            blocks.set(index, 'tool');
            const out: NStreamEvent[] = [{ t: 'tool_start', key: String(index), id: str(cb.id) ?? newId('toolu_'), name: str(cb.name) ?? '' }];
            if (isRecord(cb.input) && Object.keys(cb.input).length) out.push({ t: 'tool_args', key: String(index), delta: JSON.stringify(cb.input) });
            return out;
          }
          if (cb.type === 'thinking') {
            blocks.set(index, 'thinking');
            return typeof cb.thinking === 'string' && cb.thinking ? [{ t: 'thinking', text: cb.thinking }] : [];
          }
          // redacted_thinking, server_tool_use and their results: nothing another dialect can carry.
          blocks.set(index, 'other');
          return [];
        }
        case 'content_block_delta': {
          const d = isRecord(j.delta) ? j.delta : {};
          const kind = blocks.get(index);
          if (kind === 'text' && d.type === 'text_delta' && typeof d.text === 'string') return [{ t: 'text', text: d.text }];
          if (kind === 'tool' && d.type === 'input_json_delta' && typeof d.partial_json === 'string') return d.partial_json ? [{ t: 'tool_args', key: String(index), delta: d.partial_json }] : [];
          if (kind === 'thinking' && d.type === 'thinking_delta' && typeof d.thinking === 'string') return [{ t: 'thinking', text: d.thinking }];
          return []; // signature_delta, citations_delta
        }
        case 'message_delta': {
          const d = isRecord(j.delta) ? j.delta : {};
          const out: NStreamEvent[] = [];
          const usage = usageFromAnthropic(j.usage);
          if (usage) out.push({ t: 'usage', usage });
          if (d.stop_reason) out.push({ t: 'finish', stop: stopFromAnthropic(d.stop_reason), stopSequence: str(d.stop_sequence) ?? null });
          return out;
        }
        case 'message_stop':
          return [{ t: 'done' }];
        case 'error': {
          const e = isRecord(j.error) ? j.error : {};
          const status = statusForKind(kindFromAnthropicType(e.type, 500));
          return [{ t: 'error', error: parseAnthropicError(status, j) }];
        }
        default:
          return []; // ping, content_block_stop, unknown future events
      }
    },
  };
}

export interface AnthropicStreamWriterOptions {
  model: string;
}

export function createAnthropicStreamWriter(opts: AnthropicStreamWriterOptions): NStreamWriter {
  const state = {
    id: newId('msg_'),
    model: opts.model,
    messageStarted: false, // message_start sent
    startUsage: undefined as NUsage | undefined, // usage known at message_start
    open: undefined as { index: number; kind: 'text' | 'tool' } | undefined, // the content block not yet stopped
    nextIndex: 0, // index of the next content block
    stop: undefined as NStop | undefined,
    stopSequence: null as string | null,
    usage: undefined as NUsage | undefined,
    closed: false, // message_stop (or an error) sent; nothing may follow
  };
  const emit = (type: string, payload: Record<string, unknown>): SseEvent => ({ event: type, data: JSON.stringify({ type, ...payload }) });
  const emitMessageStart = (out: SseEvent[]) => {
    if (state.messageStarted) return;
    state.messageStarted = true;
    out.push(
      emit('message_start', {
        message: { id: state.id, type: 'message', role: 'assistant', model: state.model, content: [], stop_reason: null, stop_sequence: null, usage: usageToAnthropic(state.startUsage) },
      }),
    );
  };
  const emitBlockStop = (out: SseEvent[]) => {
    if (!state.open) return;
    out.push(emit('content_block_stop', { index: state.open.index }));
    state.open = undefined;
  };
  const emitBlockStart = (out: SseEvent[], kind: 'text' | 'tool', block: Record<string, unknown>): number => {
    emitBlockStop(out);
    const index = state.nextIndex++;
    state.open = { index, kind };
    out.push(emit('content_block_start', { index, content_block: block }));
    return index;
  };
  let out: SseEvent[] = []; // events of the write() in progress (the sequencer's sink appends to it)
  const tools = createToolSequencer({
    open: (c) => {
      emitBlockStart(out, 'tool', { type: 'tool_use', id: c.id, name: c.name, input: {} });
    },
    delta: (_c, d) => {
      out.push(emit('content_block_delta', { index: state.open!.index, delta: { type: 'input_json_delta', partial_json: d } }));
    },
    close: () => emitBlockStop(out),
  });
  // Text that came while a tool call was unfinished (see tool-sequencer.ts), sent when it is complete.
  let heldText = '';
  const writeText = (text: string) => {
    if (state.open?.kind !== 'text') {
      tools.closeOpen();
      emitBlockStart(out, 'text', { type: 'text', text: '' });
    }
    out.push(emit('content_block_delta', { index: state.open!.index, delta: { type: 'text_delta', text } }));
  };
  const releaseText = () => {
    if (!heldText || tools.busy) return;
    const text = heldText;
    heldText = '';
    writeText(text);
  };
  const emitError = (err: NError): SseEvent[] => {
    state.closed = true;
    return [emit('error', { error: (renderAnthropicError(err).body as { error: unknown }).error })];
  };
  const emitClose = (): SseEvent[] => {
    out = [];
    emitMessageStart(out);
    tools.flush();
    releaseText();
    emitBlockStop(out);
    state.closed = true;
    // message_delta usage is cumulative; clients overwrite with whatever numbers it carries.
    const u = state.usage;
    const usage: Record<string, number> = { output_tokens: u?.output ?? 0 };
    if (u?.input !== undefined) usage.input_tokens = u.input;
    if (u?.cacheWrite !== undefined) usage.cache_creation_input_tokens = u.cacheWrite;
    if (u?.cacheRead !== undefined) usage.cache_read_input_tokens = u.cacheRead;
    out.push(emit('message_delta', { delta: { stop_reason: stopToAnthropic(state.stop ?? 'end'), stop_sequence: state.stopSequence }, usage }));
    out.push(emit('message_stop', {}));
    return out;
  };
  return {
    write(ev) {
      if (state.closed) return [];
      out = [];
      switch (ev.t) {
        case 'start':
          if (ev.id?.startsWith('msg_')) state.id = ev.id;
          state.startUsage = ev.usage;
          state.usage = mergeUsage(state.usage, ev.usage);
          emitMessageStart(out);
          break;
        case 'text':
          emitMessageStart(out);
          if (tools.busy || heldText) heldText += ev.text;
          else writeText(ev.text);
          break;
        case 'thinking':
          // Unsigned reasoning from another provider cannot become a `thinking` block (no forged signatures).
          break;
        case 'tool_start':
          emitMessageStart(out);
          tools.start(ev.key, ev.id, ev.name);
          releaseText();
          break;
        case 'tool_args':
          tools.args(ev.key, ev.delta);
          releaseText();
          break;
        case 'usage':
          state.usage = mergeUsage(state.usage, ev.usage);
          break;
        case 'finish':
          state.stop = ev.stop;
          state.stopSequence = ev.stopSequence ?? null;
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
      if (state.stop === undefined) return emitError({ status: 502, kind: 'server', message: 'upstream stream ended before the response was complete' });
      return emitClose();
    },
  };
}
