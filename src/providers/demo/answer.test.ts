import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAnswer, demoText, splitDeltas } from './answer.js';
import { readRequest } from './request-view.js';

const tools = [
  { type: 'function', function: { name: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
  { type: 'function', function: { name: 'Bash', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } },
];
const usage = { input: 1, cacheRead: 0, cacheWrite: 0 };
const answer = (body: Record<string, unknown>) => buildAnswer({ view: readRequest('openai-chat', body, 'm'), inputUsage: usage });
const ask = (text: string, extra: Record<string, unknown> = {}) => answer({ messages: [{ role: 'user', content: text }], tools, ...extra });

describe('buildAnswer triggers', () => {
  it('text unless asked; named, generic, forced, parallel, none', () => {
    assert.equal(ask('hello').toolCalls.length, 0);
    assert.deepEqual(ask('please use the Bash tool').toolCalls.map((c) => c.name), ['Bash']);
    assert.deepEqual(ask('use the `bash` tool').toolCalls.map((c) => c.name), ['Bash']);
    assert.deepEqual(ask('call a tool').toolCalls.map((c) => c.name), ['Read']);
    assert.deepEqual(ask('hi', { tool_choice: 'required' }).toolCalls.map((c) => c.name), ['Read']);
    assert.deepEqual(ask('call tools in parallel').toolCalls.map((c) => c.name), ['Read', 'Bash']);
    assert.deepEqual(ask('call tools in parallel', { parallel_tool_calls: false }).toolCalls.map((c) => c.name), ['Read']);
    assert.equal(ask('call a tool', { tool_choice: 'none' }).toolCalls.length, 0);
    assert.equal(answer({ messages: [{ role: 'user', content: 'call a tool' }] }).toolCalls.length, 0, 'no tools offered');
    assert.equal(ask('call a tool').stop, 'tool');
  });

  it('quotes the last user text and tool result, truncated', () => {
    const v = readRequest('openai-chat', { messages: [{ role: 'user', content: 'a'.repeat(500) }, { role: 'tool', content: 'r' }] }, 'm');
    const t = demoText(v);
    assert.match(t, /^Demo reply from kt: I received 2 messages \(0 tools\)\. Your last message was: "a{299}…" The last tool result was: "r"$/);
  });

  it('splits into several code-point-safe deltas', () => {
    const text = '😀'.repeat(10) + 'abc';
    const parts = splitDeltas(text);
    assert.ok(parts.length >= 3);
    assert.equal(parts.join(''), text);
    assert.ok(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p)));
  });
});
