/**
 * Upstream SSE fixtures shared by the pair tests: one realistic stream per upstream dialect with
 * text, reasoning, two parallel tool calls with split arguments, stop reason and usage (incl. cache),
 * in the byte framing each provider uses.
 */
import { sse } from './stream-harness.js';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });

/** OpenAI chat, as sent with stream_options.include_usage. */
export const chatStream = sse([
  [undefined, chunk({ role: 'assistant', content: '' })],
  [undefined, chunk({ reasoning_content: 'thinking…' })],
  [undefined, chunk({ content: 'Héllo ' })],
  [undefined, chunk({ content: 'wörld 🌍' })],
  [undefined, chunk({ tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'read', arguments: '' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 0, function: { arguments: '"a"}' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 1, id: 'call_B', type: 'function', function: { name: 'grep', arguments: '{"q":"x"}' } }] })],
  [undefined, chunk({}, 'tool_calls')],
  [undefined, { id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [], usage: { prompt_tokens: 130, completion_tokens: 42, total_tokens: 172, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 5 } } }],
  [undefined, '[DONE]'],
]);

/** OpenAI chat answering text only, ending with "stop", CRLF-framed like some proxies do. */
export const chatTextStreamCrlf = sse([
  [undefined, chunk({ role: 'assistant', content: 'Hi' })],
  [undefined, chunk({ content: ' there' })],
  [undefined, chunk({}, 'length')],
  [undefined, '[DONE]'],
]).replace(/\n/g, '\r\n');

/**
 * OpenAI chat interleaving two parallel calls, as some OpenAI-compatible servers do: one chunk opens
 * tool_calls[0] and [1] with empty arguments, then pieces for 0 and 1 alternate.
 */
export const chatInterleavedStream = sse([
  [undefined, chunk({ role: 'assistant', content: null })],
  [undefined, chunk({ tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'read', arguments: '' } }, { index: 1, id: 'call_B', type: 'function', function: { name: 'grep', arguments: '' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 1, function: { arguments: '{"q":' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 0, function: { arguments: '"a"}' } }] })],
  [undefined, chunk({ tool_calls: [{ index: 1, function: { arguments: '"x"}' } }] })],
  [undefined, chunk({}, 'tool_calls')],
  [undefined, { id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [], usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 } }],
  [undefined, '[DONE]'],
]);

/** A chat upstream that sends text between two pieces of one call's arguments (no known server does). */
export const chatTextInsideCallStream = sse([
  [undefined, chunk({ role: 'assistant', content: null })],
  [undefined, chunk({ tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'read', arguments: '{"path":' } }] })],
  [undefined, chunk({ content: 'Reading ' })],
  [undefined, chunk({ content: 'it now.' })],
  [undefined, chunk({ tool_calls: [{ index: 0, function: { arguments: '"a"}' } }] })],
  [undefined, chunk({}, 'tool_calls')],
  [undefined, '[DONE]'],
]);

/** Anthropic messages with thinking, text and two tool_use blocks. */
export const anthropicStream = sse([
  ['message_start', { type: 'message_start', message: { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } } }],
  ['ping', { type: 'ping' }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'let me think' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Héllo ' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'wörld 🌍' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 1 }],
  ['content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'read', input: {} } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"path":' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"a"}' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 2 }],
  ['content_block_start', { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'toolu_2', name: 'grep', input: {} } }],
  ['content_block_delta', { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{"q":"x"}' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 3 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } }],
  ['message_stop', { type: 'message_stop' }],
]);

const resp = (status: string, extra: Record<string, unknown> = {}) => ({ id: 'resp_up', object: 'response', created_at: 1, status, model: 'gpt-r', output: [], usage: null, ...extra });

/** OpenAI Responses with a reasoning item (encrypted), text, and two function calls. */
export const responsesStream = sse([
  ['response.created', { type: 'response.created', sequence_number: 0, response: resp('in_progress') }],
  ['response.in_progress', { type: 'response.in_progress', sequence_number: 1, response: resp('in_progress') }],
  ['response.output_item.added', { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'ENC' } }],
  ['response.reasoning_summary_text.delta', { type: 'response.reasoning_summary_text.delta', sequence_number: 3, item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'plan' }],
  ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 4, output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'ENC' } }],
  ['response.output_item.added', { type: 'response.output_item.added', sequence_number: 5, output_index: 1, item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] } }],
  ['response.content_part.added', { type: 'response.content_part.added', sequence_number: 6, item_id: 'msg_1', output_index: 1, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }],
  ['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 7, item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Héllo ' }],
  ['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 8, item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'wörld 🌍' }],
  ['response.output_text.done', { type: 'response.output_text.done', sequence_number: 9, item_id: 'msg_1', output_index: 1, content_index: 0, text: 'Héllo wörld 🌍' }],
  ['response.content_part.done', { type: 'response.content_part.done', sequence_number: 10, item_id: 'msg_1', output_index: 1, content_index: 0, part: { type: 'output_text', text: 'Héllo wörld 🌍', annotations: [] } }],
  ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 11, output_index: 1, item: { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Héllo wörld 🌍', annotations: [] }] } }],
  ['response.output_item.added', { type: 'response.output_item.added', sequence_number: 12, output_index: 2, item: { id: 'fc_1', type: 'function_call', status: 'in_progress', call_id: 'call_A', name: 'read', arguments: '' } }],
  ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', sequence_number: 13, item_id: 'fc_1', output_index: 2, delta: '{"path":' }],
  ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', sequence_number: 14, item_id: 'fc_1', output_index: 2, delta: '"a"}' }],
  ['response.function_call_arguments.done', { type: 'response.function_call_arguments.done', sequence_number: 15, item_id: 'fc_1', output_index: 2, arguments: '{"path":"a"}' }],
  ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 16, output_index: 2, item: { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_A', name: 'read', arguments: '{"path":"a"}' } }],
  // A server that sends no argument deltas, only the finished item.
  ['response.output_item.added', { type: 'response.output_item.added', sequence_number: 17, output_index: 3, item: { id: 'fc_2', type: 'function_call', status: 'in_progress', call_id: 'call_B', name: 'grep', arguments: '' } }],
  ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 18, output_index: 3, item: { id: 'fc_2', type: 'function_call', status: 'completed', call_id: 'call_B', name: 'grep', arguments: '{"q":"x"}' } }],
  ['response.completed', { type: 'response.completed', sequence_number: 19, response: resp('completed', { usage: { input_tokens: 130, input_tokens_details: { cached_tokens: 100 }, output_tokens: 42, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 172 } }) }],
]);
