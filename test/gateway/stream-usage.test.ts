/**
 * Usage on OpenAI chat / completions streams the client did not ask usage for: kt asks the provider
 * for it (`stream_options.include_usage`), folds it into the exchange, and the client's stream is what
 * it would have been without the option — no usage-only chunk, no `usage: null` members. A client that
 * asked gets the provider's chunks as sent; a target with `stream_usage: false` is asked nothing extra.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Exchange } from '../../src/gateway/exchange.js';
import { noopHooks } from '../../src/gateway/hooks.js';
import { TEST_ENV, recordingFetch, rig, singleTarget } from './helpers.js';

async function setup(t: { after(fn: () => unknown): void }, provider = 'openai', extra = '') {
  const exchanges: Exchange[] = [];
  const r = await rig(t, singleTarget(provider, extra), { env: TEST_ENV, hooks: () => ({ ...noopHooks, record: (ex) => void exchanges.push(ex) }) });
  const sent: string[] = [];
  const client = new OpenAI({ baseURL: `${r.gw.url}/v1`, apiKey: 'sk-client-key', maxRetries: 0, fetch: recordingFetch(sent) });
  // record runs after the response ended; give it the turn it needs.
  const lastExchange = async () => {
    for (let i = 0; i < 500 && exchanges.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
    return exchanges.at(-1)!;
  };
  return { ...r, client, sent, lastExchange };
}

const SPLICED = '{"stream_options":{"include_usage":true},';

describe('stream usage the client did not ask for', () => {
  it('chat: the upstream is asked for usage, the client sees no usage chunk, the exchange has the numbers', async (t) => {
    const { client, demo, sent, lastExchange } = await setup(t);
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count my tokens' }], stream: true });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    assert.ok(chunks.length > 2);
    assert.ok(chunks.every((c) => c.choices.length > 0), 'no usage-only chunk (empty choices) reaches the client');
    assert.ok(chunks.every((c) => !('usage' in c)), 'no usage member on any chunk');
    assert.match(chunks.map((c) => c.choices[0].delta.content ?? '').join(''), /count my tokens/);
    // Only the option was added: every other byte is the client's.
    assert.equal(demo.requests[0].rawBody.toString('utf8'), SPLICED + sent[0].slice(1));
    const u = (await lastExchange()).usage!;
    assert.ok(u.inputTokens! > 0 && u.outputTokens! > 0, JSON.stringify(u));
  });

  it('legacy completions: the same, through the SDK', async (t) => {
    const { client, demo, sent, lastExchange } = await setup(t);
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'def add(a, b):', stream: true });
    const chunks: OpenAI.Completions.Completion[] = [];
    for await (const c of stream) chunks.push(c);
    assert.ok(chunks.length > 0 && chunks.every((c) => c.choices.length > 0 && !('usage' in c)));
    assert.equal(demo.requests[0].rawBody.toString('utf8'), SPLICED + sent[0].slice(1));
    const u = (await lastExchange()).usage!;
    assert.ok(u.inputTokens! > 0 && u.outputTokens! > 0, JSON.stringify(u));
  });

  it('stream_options without include_usage is merged, not replaced', async (t) => {
    const { client, demo, lastExchange } = await setup(t);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false } as never,
    });
    for await (const c of stream) assert.ok(c.choices.length > 0 && !('usage' in c));
    assert.deepEqual((demo.requests[0].json as { stream_options: unknown }).stream_options, { include_usage: true, include_obfuscation: false });
    assert.ok((await lastExchange()).usage!.outputTokens! > 0);
  });

  it('a client that asked for usage gets the usage chunk as the provider sent it, and its body untouched', async (t) => {
    const { client, demo, sent, lastExchange } = await setup(t);
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'y' }], stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage && last.usage.prompt_tokens > 0);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'the other chunks keep their usage: null');
    assert.equal(demo.requests[0].rawBody.toString('utf8'), sent[0]);
    assert.equal((await lastExchange()).usage!.outputTokens, last.usage.completion_tokens);
  });

  it('stream_usage: false on the target asks nothing extra (usage stays unknown)', async (t) => {
    const { client, demo, sent, lastExchange } = await setup(t, 'openai', '      stream_usage: false\n');
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'z' }], stream: true });
    for await (const c of stream) void c;
    assert.equal(demo.requests[0].rawBody.toString('utf8'), sent[0]);
    assert.equal((await lastExchange()).usage!.outputTokens, null);
  });

  it('a provider kind without the capability (ollama) is left alone', async (t) => {
    const { client, demo, sent } = await setup(t, 'ollama');
    const stream = await client.chat.completions.create({ model: 'llama3', messages: [{ role: 'user', content: 'z' }], stream: true });
    for await (const c of stream) void c;
    assert.equal(demo.requests[0].rawBody.toString('utf8'), sent[0]);
  });

  it('translated streams: usage comes from the upstream side, cache writes included, though the client asked for none', async (t) => {
    const { client, demo, lastExchange } = await setup(t, 'anthropic', '      model: claude-sonnet-4-5\n');
    demo.script({ text: 'Cached answer.', usage: { input_tokens: 12, output_tokens: 5, cache_read_input_tokens: 40, cache_creation_input_tokens: 8 }, times: 2 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    assert.equal(demo.requests[0].path, '/v1/messages');
    assert.ok(chunks.every((c) => !c.usage), 'the client asked for no usage and gets none');
    const streamed = (await lastExchange()).usage!;
    assert.deepEqual([streamed.inputTokens, streamed.outputTokens, streamed.cacheReadTokens, streamed.cacheWriteTokens], [12, 5, 40, 8]);
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'y' }] });
    // record() runs before the answer's last byte, so the buffered exchange is the last one now.
    const buffered = await lastExchange();
    assert.equal(buffered.stream, false);
    const u = buffered.usage!;
    assert.deepEqual([u.inputTokens, u.outputTokens, u.cacheReadTokens, u.cacheWriteTokens], [12, 5, 40, 8], 'a buffered translated answer keeps the cache-write figure the chat shape has no field for');
  });
});
