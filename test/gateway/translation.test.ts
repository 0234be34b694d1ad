/**
 * When the target cannot take the client's dialect, the gateway translates (via src/translate) and the
 * client still gets its own format back — JSON, streamed and errors; an unsupported pair, and
 * count_tokens on a target that cannot count, get a clear non-2xx instead of a fake answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { TEST_ENV, postJson, rig, singleTarget } from './helpers.js';

describe('openai chat client → anthropic target', () => {
  it('JSON and streamed answers come back as chat completions', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('anthropic', '      model: claude-sonnet-4-5\n'), { env: TEST_ENV });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'translate me' }], max_tokens: 100 });
    assert.equal(res.object, 'chat.completion');
    assert.match(res.choices[0].message.content ?? '', /translate me/);
    assert.equal(demo.requests[0].path, '/v1/messages');
    assert.equal((demo.requests[0].json as { model: string }).model, 'claude-sonnet-4-5');
    assert.equal(demo.requests[0].headers['x-api-key'], 'sk-test-upstream-key');
    assert.ok(demo.requests[0].headers['anthropic-version'], 'the gateway adds anthropic-version for a non-Anthropic client');

    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'stream me' }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    assert.match(text, /stream me/);
  });

  it('an upstream error keeps its status, in the OpenAI envelope', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 400, times: Infinity });
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'claude-x', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(res.status, 400);
    assert.ok(res.json.error && typeof res.json.error.message === 'string', res.text);
  });
});

describe('anthropic client → openai target', () => {
  it('messages come back in the Anthropic shape', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai-compatible'), { env: TEST_ENV });
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
    const msg = await client.messages.create({ model: 'llama-3', max_tokens: 50, messages: [{ role: 'user', content: 'from claude' }] });
    assert.equal(msg.type, 'message');
    assert.match(JSON.stringify(msg.content), /from claude/);
    assert.equal(demo.requests[0].path, '/v1/chat/completions');
    const final = await client.messages.stream({ model: 'llama-3', max_tokens: 50, messages: [{ role: 'user', content: 'streamed claude' }] }).finalMessage();
    assert.match(JSON.stringify(final.content), /streamed claude/);
  });

  it('count_tokens on a target that cannot count is a non-2xx, never a fake 0', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai'), { env: TEST_ENV });
    const res = await postJson(`${gw.url}/v1/messages/count_tokens`, { model: 'x', messages: [{ role: 'user', content: 'x' }] });
    assert.ok(res.status >= 400, res.text);
    assert.equal(res.json.type, 'error');
    assert.equal(res.json.error.code, 'KT_ERR_NO_TARGET');
    assert.match(res.json.error.message, /anthropic-count-tokens/);
    assert.equal(demo.requests.length, 0);
  });
});
