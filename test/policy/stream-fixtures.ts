/** Client-dialect SSE event sequences carrying given text pieces, for stream guard tests. */
import type { DialectName } from '../../src/dialects/types.js';
import type { SseEvent } from '../../src/sse/parser.js';

const j = (v: unknown) => JSON.stringify(v);

export function chatEvents(pieces: string[], kind: 'text' | 'args' = 'text'): SseEvent[] {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm' };
  const delta = (p: string) => (kind === 'text' ? { content: p } : { tool_calls: [{ index: 0, function: { arguments: p } }] });
  const first = kind === 'text' ? { role: 'assistant', content: '' } : { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'bash', arguments: '' } }] };
  return [
    { data: j({ ...base, choices: [{ index: 0, delta: first, finish_reason: null }] }) },
    ...pieces.map((p) => ({ data: j({ ...base, choices: [{ index: 0, delta: delta(p), finish_reason: null }] }) })),
    { data: j({ ...base, choices: [{ index: 0, delta: {}, finish_reason: kind === 'text' ? 'stop' : 'tool_calls' }] }) },
    { data: '[DONE]' },
  ];
}

export function anthropicEvents(pieces: string[], kind: 'text' | 'args' = 'text'): SseEvent[] {
  const e = (event: string, data: object): SseEvent => ({ event, data: j({ type: event, ...data }) });
  const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} };
  return [
    e('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', usage: { input_tokens: 1, output_tokens: 0 } } }),
    e('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
    e('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hmm sk-' } }),
    e('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'c2lnbmF0dXJl' } }),
    e('content_block_stop', { index: 0 }),
    e('content_block_start', { index: 1, content_block: block }),
    e('ping', {}),
    ...pieces.map((p) => e('content_block_delta', { index: 1, delta: kind === 'text' ? { type: 'text_delta', text: p } : { type: 'input_json_delta', partial_json: p } })),
    e('content_block_stop', { index: 1 }),
    e('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }),
    e('message_stop', {}),
  ];
}

export function responsesEvents(pieces: string[], kind: 'text' | 'args' = 'text'): SseEvent[] {
  const full = pieces.join('');
  let seq = 0;
  const e = (type: string, data: object): SseEvent => ({ event: type, data: j({ type, sequence_number: seq++, ...data }) });
  const item = kind === 'text'
    ? { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: full, annotations: [] }] }
    : { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'shell', arguments: full, status: 'completed' };
  const resp = (status: string, output: unknown[]) => ({ id: 'resp_1', object: 'response', status, model: 'm', output });
  const pre = kind === 'text'
    ? [
        e('response.output_item.added', { output_index: 1, item: { ...item, status: 'in_progress', content: [] } }),
        e('response.content_part.added', { output_index: 1, content_index: 0, item_id: 'msg_1', part: { type: 'output_text', text: '', annotations: [] } }),
      ]
    : [e('response.output_item.added', { output_index: 1, item: { ...item, status: 'in_progress', arguments: '' } })];
  const deltas = pieces.map((p) =>
    kind === 'text'
      ? e('response.output_text.delta', { output_index: 1, content_index: 0, item_id: 'msg_1', delta: p })
      : e('response.function_call_arguments.delta', { output_index: 1, item_id: 'fc_1', delta: p }),
  );
  const post = kind === 'text'
    ? [
        e('response.output_text.done', { output_index: 1, content_index: 0, item_id: 'msg_1', text: full }),
        e('response.content_part.done', { output_index: 1, content_index: 0, item_id: 'msg_1', part: { type: 'output_text', text: full, annotations: [] } }),
      ]
    : [e('response.function_call_arguments.done', { output_index: 1, item_id: 'fc_1', arguments: full })];
  const reasoning = { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'gAAAAsk-notakey' };
  return [
    e('response.created', { response: resp('in_progress', []) }),
    e('response.in_progress', { response: resp('in_progress', []) }),
    e('response.output_item.done', { output_index: 0, item: reasoning }),
    ...pre,
    ...deltas,
    ...post,
    e('response.output_item.done', { output_index: 1, item }),
    e('response.completed', { response: resp('completed', [reasoning, item]) }),
  ];
}

export const EVENTS: Partial<Record<DialectName, (pieces: string[], kind?: 'text' | 'args') => SseEvent[]>> = {
  'openai-chat': chatEvents,
  'anthropic-messages': anthropicEvents,
  'openai-responses': responsesEvents,
};

/** Concatenated delta text the client would assemble, per dialect. */
export function assembled(dialect: DialectName, events: SseEvent[]): string {
  let out = '';
  for (const ev of events) {
    if (ev.data === '[DONE]') continue;
    const d = JSON.parse(ev.data);
    if (dialect === 'openai-chat') {
      const delta = d.choices?.[0]?.delta;
      if (typeof delta?.content === 'string') out += delta.content;
      const args = delta?.tool_calls?.[0]?.function?.arguments;
      if (typeof args === 'string') out += args;
    } else if (dialect === 'anthropic-messages') {
      if (d.type === 'content_block_delta' && d.delta.type === 'text_delta') out += d.delta.text;
      if (d.type === 'content_block_delta' && d.delta.type === 'input_json_delta') out += d.delta.partial_json;
    } else if (d.type === 'response.output_text.delta' || d.type === 'response.function_call_arguments.delta') out += d.delta;
  }
  return out;
}
