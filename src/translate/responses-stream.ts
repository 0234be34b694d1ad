/**
 * OpenAI Responses SSE on either side. The writer is an explicit state machine producing exactly the
 * sequence Codex expects (observed from Codex CLI: docs/CLIENTS.md): response.created → response.in_progress →
 * per item output_item.added → (content_part.added → output_text.delta… → output_text.done →
 * content_part.done | function_call_arguments.delta… → .done) → output_item.done → response.completed
 * (or response.incomplete / response.failed), every event with an increasing sequence_number. No [DONE].
 */
import type { SseEvent } from '../sse/parser.js';
import { isRecord, str } from './content-parts.js';
import { kindFromOpenAI, openaiErrorType, parseOpenAIStreamError, statusForKind } from './error-kinds.js';
import { newId, nowSeconds } from './ids.js';
import type { NError, NStop, NStreamEvent, NStreamReader, NStreamWriter, NToolCall, NUsage } from './neutral.js';
import { messageItem, responseObject, statusOf, stopFromResponses, toolCallItem, usageFromResponses, usageToResponses, type ResponsesEcho } from './responses-output.js';
import { createToolSequencer } from './tool-sequencer.js';
import { mergeUsage } from './usage-merge.js';

export function createResponsesStreamReader(): NStreamReader {
  const state = {
    toolKeys: new Map<number, string>(), // output_index → neutral key of a function_call item
    argsSeen: new Set<number>(), // output indexes whose arguments arrived as deltas
    textSeen: new Set<number>(), // output indexes whose text arrived as deltas
    sawToolCall: false,
  };
  const startTool = (out: NStreamEvent[], index: number, item: Record<string, unknown>): string => {
    let key = state.toolKeys.get(index);
    if (key === undefined) {
      key = `o${index}`;
      state.toolKeys.set(index, key);
      state.sawToolCall = true;
      out.push({ t: 'tool_start', key, id: str(item.call_id) ?? newId('call_'), name: str(item.name) ?? '' });
    }
    return key;
  };
  return {
    read(ev) {
      let j: unknown;
      try {
        j = JSON.parse(ev.data);
      } catch {
        return [];
      }
      if (!isRecord(j)) return [];
      const out: NStreamEvent[] = [];
      const index = typeof j.output_index === 'number' ? j.output_index : -1;
      const item = isRecord(j.item) ? j.item : {};
      switch (str(j.type) ?? ev.event) {
        case 'response.created': {
          const r = isRecord(j.response) ? j.response : {};
          out.push({ t: 'start', id: str(r.id), model: str(r.model) });
          break;
        }
        case 'response.output_item.added':
          if (item.type === 'function_call') startTool(out, index, item);
          break;
        case 'response.output_text.delta':
        case 'response.refusal.delta':
          if (typeof j.delta === 'string' && j.delta) {
            state.textSeen.add(index);
            out.push({ t: 'text', text: j.delta });
          }
          break;
        case 'response.output_text.done':
          // Some servers send only the final text.
          if (!state.textSeen.has(index) && typeof j.text === 'string' && j.text) {
            state.textSeen.add(index);
            out.push({ t: 'text', text: j.text });
          }
          break;
        case 'response.function_call_arguments.delta': {
          const key = state.toolKeys.get(index);
          if (key !== undefined && typeof j.delta === 'string' && j.delta) {
            state.argsSeen.add(index);
            out.push({ t: 'tool_args', key, delta: j.delta });
          }
          break;
        }
        case 'response.function_call_arguments.done':
        case 'response.output_item.done': {
          if (j.type === 'response.output_item.done' && item.type !== 'function_call') break;
          const key = j.type === 'response.output_item.done' ? startTool(out, index, item) : state.toolKeys.get(index);
          const args = str(j.arguments) ?? str(item.arguments);
          if (key !== undefined && !state.argsSeen.has(index) && args) {
            state.argsSeen.add(index);
            out.push({ t: 'tool_args', key, delta: args });
          }
          break;
        }
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          if (typeof j.delta === 'string' && j.delta) out.push({ t: 'thinking', text: j.delta });
          break;
        case 'response.completed':
        case 'response.incomplete': {
          const r = isRecord(j.response) ? j.response : {};
          const usage = usageFromResponses(r.usage);
          if (usage) out.push({ t: 'usage', usage });
          out.push({ t: 'finish', stop: stopFromResponses(r, state.sawToolCall) }, { t: 'done' });
          break;
        }
        case 'response.failed': {
          const r = isRecord(j.response) ? j.response : {};
          const e = isRecord(r.error) ? r.error : {};
          const kind = kindFromOpenAI(e.type, e.code);
          out.push({ t: 'error', error: { status: statusForKind(kind), kind, message: str(e.message) ?? 'upstream response failed', code: str(e.code) } });
          break;
        }
        case 'error':
          out.push({ t: 'error', error: parseOpenAIStreamError({ error: j }) });
          break;
      }
      return out;
    },
  };
}

type OpenItem =
  | { kind: 'message'; outputIndex: number; id: string; text: string }
  | { kind: 'tool'; outputIndex: number; id: string; key: string; call: NToolCall; custom: boolean };

export function createResponsesStreamWriter(echo: ResponsesEcho): NStreamWriter {
  const state = {
    seq: 0, // sequence_number of the next event
    id: newId('resp_'),
    createdAt: nowSeconds(),
    model: echo.model,
    started: false, // response.created + response.in_progress sent
    output: [] as Record<string, unknown>[], // finished items, by output_index
    open: undefined as OpenItem | undefined, // the item being streamed
    stop: undefined as NStop | undefined,
    usage: undefined as NUsage | undefined,
    closed: false, // terminal event sent; nothing may follow
  };
  const emit = (out: SseEvent[], type: string, payload: Record<string, unknown>) => {
    out.push({ event: type, data: JSON.stringify({ type, sequence_number: state.seq++, ...payload }) });
  };
  const snapshot = (status: string, extra: Record<string, unknown> = {}) =>
    responseObject(echo, state.id, state.createdAt, { status, output: state.output, usage: null, model: state.model, ...extra });
  const emitStarted = (out: SseEvent[]) => {
    if (state.started) return;
    state.started = true;
    emit(out, 'response.created', { response: snapshot('in_progress') });
    emit(out, 'response.in_progress', { response: snapshot('in_progress') });
  };
  const emitItemDone = (out: SseEvent[]) => {
    const it = state.open;
    if (!it) return;
    state.open = undefined;
    if (it.kind === 'message') {
      const part = { type: 'output_text', text: it.text, annotations: [], logprobs: [] };
      emit(out, 'response.output_text.done', { item_id: it.id, output_index: it.outputIndex, content_index: 0, text: it.text, logprobs: [] });
      emit(out, 'response.content_part.done', { item_id: it.id, output_index: it.outputIndex, content_index: 0, part });
      state.output[it.outputIndex] = messageItem(it.id, it.text, 'completed');
    } else {
      const item = toolCallItem(it.call, echo.tools, it.id, 'completed');
      if (it.custom) {
        // Free-form input only exists once the JSON wrapper is complete: sent whole, at the end.
        emit(out, 'response.custom_tool_call_input.delta', { item_id: it.id, output_index: it.outputIndex, delta: item.input });
        emit(out, 'response.custom_tool_call_input.done', { item_id: it.id, output_index: it.outputIndex, input: item.input });
      } else {
        emit(out, 'response.function_call_arguments.done', { item_id: it.id, output_index: it.outputIndex, name: item.name, arguments: it.call.arguments });
      }
      state.output[it.outputIndex] = item;
    }
    emit(out, 'response.output_item.done', { output_index: it.outputIndex, item: state.output[it.outputIndex] });
  };
  const emitItemAdded = (out: SseEvent[], it: OpenItem, item: Record<string, unknown>) => {
    emitItemDone(out);
    state.open = it;
    state.output[it.outputIndex] = item;
    emit(out, 'response.output_item.added', { output_index: it.outputIndex, item });
  };
  let out: SseEvent[] = []; // events of the write() in progress (the sequencer's sink appends to it)
  const tools = createToolSequencer({
    open: (c) => {
      const call: NToolCall = { type: 'tool_call', id: c.id, name: c.name, arguments: '' };
      const it: OpenItem = { kind: 'tool', outputIndex: state.output.length, id: newId('fc_'), key: c.key, call, custom: echo.tools.get(c.name)?.custom === true };
      emitItemAdded(out, it, toolCallItem(call, echo.tools, it.id, 'in_progress'));
    },
    delta: (_c, d) => {
      const it = state.open as OpenItem & { kind: 'tool' };
      it.call.arguments += d;
      if (!it.custom) emit(out, 'response.function_call_arguments.delta', { item_id: it.id, output_index: it.outputIndex, delta: d });
    },
    close: () => emitItemDone(out),
  });
  // Text that came while a tool call was unfinished (see tool-sequencer.ts), sent when it is complete.
  let heldText = '';
  const writeText = (text: string) => {
    if (state.open?.kind !== 'message') {
      tools.closeOpen();
      const it: OpenItem = { kind: 'message', outputIndex: state.output.length, id: newId('msg_'), text: '' };
      emitItemAdded(out, it, messageItem(it.id, '', 'in_progress'));
      emit(out, 'response.content_part.added', { item_id: it.id, output_index: it.outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    }
    const it = state.open as OpenItem & { kind: 'message' };
    it.text += text;
    emit(out, 'response.output_text.delta', { item_id: it.id, output_index: it.outputIndex, content_index: 0, delta: text, logprobs: [] });
  };
  const releaseText = () => {
    if (!heldText || tools.busy) return;
    const text = heldText;
    heldText = '';
    writeText(text);
  };
  const emitFailed = (err: NError): SseEvent[] => {
    const out: SseEvent[] = [];
    emitStarted(out);
    state.closed = true;
    const code = err.code ?? openaiErrorType(err.kind);
    emit(out, 'response.failed', { response: snapshot('failed', { error: { code, message: err.message } }) });
    return out;
  };
  const emitClose = (): SseEvent[] => {
    out = [];
    emitStarted(out);
    tools.flush();
    releaseText();
    emitItemDone(out);
    state.closed = true;
    const { status, incomplete_details } = statusOf(state.stop ?? 'end');
    emit(out, status === 'completed' ? 'response.completed' : 'response.incomplete', {
      response: snapshot(status, { incomplete_details, usage: usageToResponses(state.usage) }),
    });
    return out;
  };
  return {
    write(ev) {
      if (state.closed) return [];
      out = [];
      switch (ev.t) {
        case 'start':
          if (ev.model) state.model = ev.model;
          state.usage = mergeUsage(state.usage, ev.usage);
          emitStarted(out);
          break;
        case 'text':
          emitStarted(out);
          if (tools.busy || heldText) heldText += ev.text;
          else writeText(ev.text);
          break;
        case 'thinking':
          // Another provider's reasoning cannot become a Responses reasoning item the client could send back.
          break;
        case 'tool_start':
          emitStarted(out);
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
          break;
        case 'error':
          return emitFailed(ev.error);
        case 'done':
          return emitClose();
      }
      return out;
    },
    end() {
      if (state.closed) return [];
      if (state.stop === undefined) return emitFailed({ status: 502, kind: 'server', message: 'upstream stream ended before the response was complete' });
      return emitClose();
    },
  };
}
