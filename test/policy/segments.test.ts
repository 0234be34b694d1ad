import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEGMENTS } from '../../src/policy/segment-registry.js';

const view = (segs: { pointer: string; role: string }[]) => segs.map((s) => `${s.role} ${s.pointer}`);

test('anthropic messages: system forms, blocks, tool_use input leaves, tool_result string/blocks; never thinking', () => {
  const body = {
    system: [{ type: 'text', text: 'You are Claude Code', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'system', content: 'inline system' },
      { role: 'user', content: [{ type: 'text', text: 'read .env' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'secret thoughts', signature: 'sig' },
          { type: 'redacted_thinking', data: 'enc' },
          { type: 'text', text: 'reading' },
          { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'cat .env', opts: ['-n'] } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: '     1\tAWS=AKIA…' },
          { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'blocks' }, { type: 'image', source: {} }] },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc text' } },
        ],
      },
    ],
  };
  assert.deepEqual(view(SEGMENTS['anthropic-messages'].request(body)), [
    'system system[0].text',
    'system messages[0].content',
    'user messages[1].content[0].text',
    'assistant messages[2].content[2].text',
    'tool_call messages[2].content[3].input.command',
    'tool_call messages[2].content[3].input.opts[0]',
    'tool_result messages[3].content[0].content',
    'tool_result messages[3].content[1].content[0].text',
    'user messages[3].content[2].source.data',
  ]);
  assert.deepEqual(view(SEGMENTS['anthropic-count-tokens'].request({ system: 's', messages: [] })), ['system system']);
  assert.deepEqual(
    view(SEGMENTS['anthropic-messages'].response({ content: [{ type: 'thinking', thinking: 'x', signature: 's' }, { type: 'text', text: 'hi' }, { type: 'tool_use', name: 'f', input: { a: 'b' } }] })),
    ['assistant content[1].text', 'tool_call content[2].input.a'],
  );
});

test('openai chat: roles, parts, tool role string/parts (Qwen), JSON-in-string (Cline), tool_calls args', () => {
  const body = {
    messages: [
      { role: 'developer', content: 'dev' },
      { role: 'system', content: [{ type: 'text', text: 'sys' }] },
      { role: 'user', content: [{ type: 'text', text: 'u' }, { type: 'image_url', image_url: { url: 'data:' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'read_file', arguments: '{"path":".env"}' } }] },
      { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'KEY=…' }] },
      { role: 'tool', tool_call_id: 'd', content: '{"content":"1 | KEY=…\\n2 | x"}' },
    ],
  };
  assert.deepEqual(view(SEGMENTS['openai-chat'].request(body)), [
    'system messages[0].content',
    'system messages[1].content[0].text',
    'user messages[2].content[0].text',
    'tool_call messages[3].tool_calls[0].function.arguments',
    'tool_result messages[4].content[0].text',
    'tool_result messages[5].content',
  ]);
  assert.deepEqual(
    view(SEGMENTS['openai-chat'].response({ choices: [{ message: { content: 'a', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] } }] })),
    ['assistant choices[0].message.content', 'tool_call choices[0].message.tool_calls[0].function.arguments'],
  );
});

test('openai responses: instructions, input string/items, developer items (Codex), function calls/outputs; never reasoning', () => {
  const body = {
    instructions: 'ins',
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'codex sys' }] },
      { role: 'user', content: 'hi' },
      { type: 'reasoning', encrypted_content: 'gAAAA', summary: [{ type: 'summary_text', text: 's' }] },
      { type: 'function_call', call_id: 'c', name: 'shell', arguments: '{"cmd":["cat",".env"]}' },
      { type: 'function_call_output', call_id: 'c', output: 'Chunk ID: 1\nOutput:\nKEY=…' },
      { type: 'function_call_output', call_id: 'd', output: [{ type: 'input_text', text: 'parts' }] },
    ],
  };
  assert.deepEqual(view(SEGMENTS['openai-responses'].request(body)), [
    'system instructions',
    'system input[0].content[0].text',
    'user input[1].content',
    'tool_call input[3].arguments',
    'tool_result input[4].output',
    'tool_result input[5].output[0].text',
  ]);
  assert.deepEqual(view(SEGMENTS['openai-responses'].request({ input: 'plain' })), ['user input']);
  assert.deepEqual(
    view(SEGMENTS['openai-responses'].response({ output: [{ type: 'reasoning', encrypted_content: 'x' }, { type: 'message', content: [{ type: 'output_text', text: 'a' }] }, { type: 'function_call', name: 'f', arguments: '{}' }] })),
    ['assistant output[1].content[0].text', 'tool_call output[2].arguments'],
  );
});

test('completions prompt/suffix and embeddings input', () => {
  assert.deepEqual(view(SEGMENTS['openai-completions'].request({ prompt: ['a', 'b'], suffix: 's' })), ['prompt prompt[0]', 'prompt prompt[1]', 'prompt suffix']);
  assert.deepEqual(view(SEGMENTS['openai-completions'].request({ prompt: [1, 2, 3] })), []);
  assert.deepEqual(view(SEGMENTS['openai-embeddings'].request({ input: 'x' })), ['embedding input']);
  assert.deepEqual(view(SEGMENTS['openai-embeddings'].request({ input: ['x', 'y'] })), ['embedding input[0]', 'embedding input[1]']);
  assert.deepEqual(view(SEGMENTS['openai-completions'].response({ choices: [{ text: 't' }] })), ['assistant choices[0].text']);
});

test('hostile shapes do not throw', () => {
  for (const ex of Object.values(SEGMENTS)) {
    for (const b of [null, 1, 'x', [], { messages: 'x' }, { input: { a: 1 } }, { messages: [null, 1, { content: 5 }] }]) {
      assert.ok(Array.isArray(ex.request(b)));
      assert.ok(Array.isArray(ex.response(b)));
    }
  }
});
