/**
 * When the target cannot take the client's dialect, the gateway translates (via src/translate) and the
 * client still gets its own format back — JSON, streamed and errors; an unsupported pair, and
 * count_tokens on a target that cannot count, get a clear non-2xx instead of a fake answer.
 * `targets[].endpoints` narrows what a target takes natively: `[responses]` sends chat, Messages and
 * completions clients through the Responses translators, `[chat]` sends Responses clients onto chat.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { parseConfigText } from '../../src/config/index.js';
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

/** Ids and timestamps are invented per answer; everything else must match. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!['id', 'created', 'parsed', 'parsed_output', 'stop_details'].includes(k)) out[k] = strip(x);
    return out;
  }
  return v;
}

describe('a Responses-only target (endpoints: [responses])', () => {
  const responsesOnly = singleTarget('openai', '      endpoints: [responses]\n');
  const usage = { input_tokens: 11, output_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 };
  const toolCalls = [
    { name: 'read_file', arguments: '{"path":"src/a.ts"}' },
    { name: 'grep', arguments: '{"pattern":"TODO"}' },
  ];

  it('@anthropic-ai/sdk streams tools through the Responses translator; finalMessage equals the non-streaming message', async (t) => {
    const { gw, demo } = await rig(t, responsesOnly, { env: TEST_ENV });
    demo.script({ text: 'Two lookups.', toolCalls, usage, times: 2 });
    const client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'gpt-5-codex',
      max_tokens: 400,
      system: 'You are a coding agent.',
      tools: [
        { name: 'read_file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
        { name: 'grep', input_schema: { type: 'object', properties: { pattern: { type: 'string' } } } },
      ],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'look around' }],
    };
    const plain = await client.messages.create(params);
    const stream = client.messages.stream(params);
    const types: string[] = [];
    stream.on('streamEvent', (ev) => types.push(ev.type));
    const streamed = await stream.finalMessage();

    assert.deepEqual(
      plain.content.map((c) => (c.type === 'text' ? c.text : c.type === 'tool_use' ? [c.name, c.input] : c.type)),
      ['Two lookups.', ['read_file', { path: 'src/a.ts' }], ['grep', { pattern: 'TODO' }]],
    );
    assert.equal(plain.stop_reason, 'tool_use');
    // Responses reports input_tokens 131 with 100 cached and no cache-write figure.
    assert.deepEqual([plain.usage.input_tokens, plain.usage.cache_read_input_tokens, plain.usage.output_tokens], [31, 100, 7]);
    assert.deepEqual(strip(streamed), strip(plain));
    assert.deepEqual([types[0], ...types.slice(-2)], ['message_start', 'message_delta', 'message_stop']);

    for (const r of demo.requests) {
      assert.equal(r.path, '/v1/responses');
      const sent = r.json as Record<string, any>;
      assert.deepEqual(sent.input[0], { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'You are a coding agent.' }] });
      assert.deepEqual([sent.tool_choice, sent.max_output_tokens, sent.store], ['required', 400, false]);
      assert.deepEqual(
        sent.tools.map((x: any) => x.name),
        ['read_file', 'grep'],
      );
    }
    assert.equal((demo.requests[1].json as Record<string, any>).stream, true);
  });

  it('openai chat streams tools through the Responses translator; finalChatCompletion equals the non-streaming completion', async (t) => {
    const { gw, demo } = await rig(t, responsesOnly, { env: TEST_ENV });
    demo.script({ text: 'Checking.', toolCalls, usage, times: 2 });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
      model: 'gpt-5-codex',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'go' },
      ],
      tools: toolCalls.map((c) => ({ type: 'function' as const, function: { name: c.name, parameters: { type: 'object', properties: {} } } })),
      tool_choice: 'required',
      max_completion_tokens: 200,
    };
    const plain = await client.chat.completions.create(params);
    const streamed = await client.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } }).finalChatCompletion();

    assert.equal(plain.choices[0].finish_reason, 'tool_calls');
    assert.equal(plain.choices[0].message.content, 'Checking.');
    assert.deepEqual(
      plain.choices[0].message.tool_calls?.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : [])),
      toolCalls.map((c) => [c.name, c.arguments]),
    );
    // The demo's Responses usage says reasoning_tokens 0 (a known figure): it is carried, not invented.
    assert.deepEqual(plain.usage, { prompt_tokens: 131, completion_tokens: 7, total_tokens: 138, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 0 } });
    assert.deepEqual(strip(streamed.choices), strip(plain.choices));
    assert.deepEqual(streamed.usage, plain.usage);

    const sent = demo.requests[1].json as Record<string, any>;
    assert.equal(demo.requests[1].path, '/v1/responses');
    assert.deepEqual(sent.input[0], { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] });
    assert.deepEqual([sent.tool_choice, sent.max_output_tokens, sent.stream], ['required', 200, true]);
    assert.equal(sent.stream_options, undefined, 'Responses has no stream_options');
  });

  it('a Responses client passes through untouched; embeddings get a clear refusal, not a made-up answer', async (t) => {
    const { gw, demo } = await rig(t, responsesOnly, { env: TEST_ENV });
    const body = JSON.stringify({ model: 'gpt-5-codex', input: 'hi', store: false, prompt_cache_key: 'k' });
    const res = await postJson(`${gw.url}/v1/responses`, body);
    assert.equal(res.status, 200, res.text);
    assert.equal(demo.requests[0].rawBody.toString('utf8'), body, 'same dialect: the original bytes go upstream');
    const emb = await postJson(`${gw.url}/v1/embeddings`, { model: 'e', input: 'x' });
    assert.equal(emb.json.error.code, 'KT_ERR_NO_TARGET');
    assert.match(emb.json.error.message, /openai-embeddings/);
    assert.equal(demo.requests.length, 1);
  });
});

describe('a chat-only target (endpoints: [chat])', () => {
  it('translates Responses and completions clients onto chat', async (t) => {
    const { gw, demo } = await rig(t, singleTarget('openai', '      endpoints: [chat]\n'), { env: TEST_ENV });
    const r = await postJson(`${gw.url}/v1/responses`, { model: 'gpt-x', input: 'hello' });
    assert.equal(r.json.object, 'response', r.text);
    const c = await postJson(`${gw.url}/v1/completions`, { model: 'gpt-x', prompt: 'def f(', suffix: '):' });
    assert.equal(c.json.object, 'text_completion', c.text);
    assert.deepEqual(
      demo.requests.map((x) => x.path),
      ['/v1/chat/completions', '/v1/chat/completions'],
    );
    // Provider openai: reasoning models refuse max_tokens, so the completions default goes as max_completion_tokens.
    assert.equal((demo.requests[1].json as Record<string, any>).max_completion_tokens, 16);
  });
});

describe('targets[].endpoints in policy-config.yaml', () => {
  const yaml = (target: string) => `
pack: { name: test, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  targets:
    - id: t1
${target}`;
  for (const [target, error] of [
    ['      provider: openai\n      endpoints: [responses]\n', undefined],
    ['      provider: anthropic\n      endpoints: [messages]\n', undefined],
    ['      provider: openai-compatible\n      format: anthropic\n      endpoints: [messages, count_tokens]\n', undefined],
    ['      provider: openai\n      endpoints: [messages]\n', 'E008'],
    ['      provider: anthropic\n      endpoints: [chat]\n', 'E008'],
    ['      provider: openai\n      endpoints: []\n', 'E008'],
    ['      provider: openai\n      endpoints: [response]\n', 'E006'],
  ] as const) {
    it(`${target.trim().replace(/\n\s*/g, ', ')} → ${error ?? 'valid'}`, () => {
      const { diagnostics } = parseConfigText(yaml(target), 'test.yaml');
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (!error) assert.deepEqual(errors, []);
      else {
        assert.deepEqual(
          errors.map((d) => [d.code, d.path.startsWith('providers.targets[0].endpoints')]),
          [[error, true]],
        );
      }
    });
  }
});
