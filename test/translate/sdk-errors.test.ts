/**
 * Failure paths through a translating gateway, seen by the official SDKs: an upstream HTTP error keeps
 * its status in the client's error class, and a stream that is truncated or errors mid-way surfaces
 * as an error — never as a normally finished answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { TEST_ENV, rig, singleTarget } from '../gateway/helpers.js';

const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'hello' }];

describe('@anthropic-ai/sdk → OpenAI-chat target: failures', () => {
  it('a 400 from the chat upstream is an Anthropic BadRequestError with the same status', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai-compatible'), { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 400 });
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
    await assert.rejects(client.messages.create({ model: 'm', max_tokens: 10, messages }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.BadRequestError);
      assert.equal(err.status, 400);
      assert.equal((err.error as { type?: string }).type, 'error');
      return true;
    });
  });

  for (const kind of ['truncate', 'error-mid-stream'] as const) {
    it(`a ${kind} chat stream rejects finalMessage()`, async (t) => {
      const { gw, demo } = await rig(t, singleTarget('openai-compatible'), { env: TEST_ENV });
      demo.faults.add({ kind, afterEvents: 2 });
      const client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
      await assert.rejects(client.messages.stream({ model: 'm', max_tokens: 10, messages }).finalMessage());
    });
  }
});

describe('openai SDK (Responses) → Anthropic target: failures', () => {
  it('a 529 overloaded upstream keeps its status', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV });
    demo.faults.add({ kind: 'status', status: 529, times: Infinity }); // retryable: the gateway may retry
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await assert.rejects(client.responses.create({ model: 'm', input: 'x' }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.equal(err.status, 529);
      return true;
    });
  });

  for (const kind of ['truncate', 'error-mid-stream'] as const) {
    it(`a ${kind} Anthropic stream ends in response.failed, not response.completed`, async (t) => {
      const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV });
      demo.faults.add({ kind, afterEvents: 2 });
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const types: string[] = [];
      for await (const ev of await client.responses.create({ model: 'm', input: 'x', stream: true })) types.push(ev.type);
      assert.equal(types.at(-1), 'response.failed');
      assert.ok(!types.includes('response.completed'));
    });
  }
});

describe('openai SDK (chat) → Anthropic target: failures', () => {
  it('an error mid-stream throws from the iterator', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('anthropic'), { env: TEST_ENV });
    demo.faults.add({ kind: 'error-mid-stream', afterEvents: 2 });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await assert.rejects(async () => {
      for await (const _ of await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })) void _;
    }, OpenAI.APIError);
  });
});
