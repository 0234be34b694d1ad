/**
 * The official `@anthropic-ai/sdk` client, pointed at the gateway, completes messages (JSON and
 * streamed, tool use, thinking) and count_tokens; the upstream receives the client's exact bytes, its
 * `anthropic-beta`/`anthropic-version` headers untouched, and the query string (`?beta=true`) kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { TEST_ENV, postJson, recordingFetch, rig, singleTarget, type Rig } from './helpers.js';

let r: Rig;
let client: Anthropic;
const sent: string[] = [];
const sentHeaders: Headers[] = [];
const hooks: (() => unknown)[] = [];

before(async () => {
  r = await rig({ after: (fn) => hooks.push(fn) }, singleTarget('anthropic'), { env: TEST_ENV });
  client = new Anthropic({ baseURL: r.gw.url, apiKey: 'sk-ant-client', maxRetries: 0, fetch: recordingFetch(sent, sentHeaders) });
});
after(async () => {
  for (const fn of hooks.reverse()) await fn();
});

function assertPassedThrough(path: string): void {
  const got = r.demo.requests.at(-1)!;
  assert.equal(got.path, path);
  assert.equal(got.rawBody.toString('utf8'), sent.at(-1));
  assert.equal(got.headers['x-api-key'], 'sk-test-upstream-key');
  assert.equal(got.headers.authorization, undefined, "the client's own key does not travel when the target has one");
}

const tools: Anthropic.Tool[] = [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];

describe('anthropic SDK through the gateway', () => {
  it('messages, JSON, with cache_control and unknown fields untouched', async () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      system: [{ type: 'text' as const, text: 'be brief', cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: 'hello claude' }],
      context_management: { edits: [] },
    };
    const msg = await client.messages.create(body as never, { headers: { 'anthropic-beta': 'context-management-2025-06-27,fine-grained-tool-streaming-2025-05-14' } });
    assert.equal(msg.type, 'message');
    assert.match(JSON.stringify(msg.content), /hello claude/);
    assert.ok(msg.usage.input_tokens > 0);
    assertPassedThrough('/v1/messages');
    const got = r.demo.requests.at(-1)!;
    assert.equal(got.headers['anthropic-beta'], 'context-management-2025-06-27,fine-grained-tool-streaming-2025-05-14');
    assert.equal(got.headers['anthropic-version'], sentHeaders.at(-1)!.get('anthropic-version'));
  });

  it('messages, streamed with tool use; usage survives in message_start', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'use the read_file tool' }],
      tools,
      tool_choice: { type: 'tool', name: 'read_file' },
    });
    const events: string[] = [];
    stream.on('streamEvent', (e) => events.push(e.type));
    const final = await stream.finalMessage();
    const use = final.content.find((c) => c.type === 'tool_use');
    assert.equal(use?.type === 'tool_use' && use.name, 'read_file');
    assert.equal(final.stop_reason, 'tool_use');
    assert.equal(events[0], 'message_start');
    assert.equal(events.at(-1), 'message_stop');
    assert.ok(final.usage.input_tokens > 0 && final.usage.output_tokens > 0);
    assertPassedThrough('/v1/messages');
  });

  it('messages, JSON, with a forced tool call', async () => {
    const msg = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'use the read_file tool' }],
      tools,
      tool_choice: { type: 'tool', name: 'read_file' },
    });
    const use = msg.content.find((c) => c.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use');
    assert.equal(use.name, 'read_file');
    assert.equal(typeof (use.input as { path?: unknown }).path, 'string');
    assert.match(use.id, /^toolu_/);
    assert.equal(msg.stop_reason, 'tool_use');
    assertPassedThrough('/v1/messages');
  });

  it('thinking blocks streamed back equal what the provider sent (text and signature)', async () => {
    const body: Anthropic.MessageCreateParams = {
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'think first' }],
    };
    const final = await client.messages.stream(body).finalMessage();
    assertPassedThrough('/v1/messages');
    // The demo answers the same request with the same bytes: ask it directly for what it sent.
    const direct = new Anthropic({ baseURL: r.demo.url, apiKey: 'sk-direct', maxRetries: 0 });
    const fromProvider = await direct.messages.stream(body).finalMessage();
    const thinking = (m: Anthropic.Message) => m.content.filter((c) => c.type === 'thinking' || c.type === 'redacted_thinking');
    assert.ok(thinking(fromProvider).length > 0);
    assert.deepEqual(thinking(final), thinking(fromProvider));
    assert.deepEqual(final.content, fromProvider.content);
  });

  it('thinking blocks and signatures sent back in the history reach the provider byte-identical', async () => {
    // A multi-turn tool loop as Claude Code sends it: the previous turn's signed thinking, then the tool result.
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'use the read_file tool' }],
      tools,
    });
    const use = first.content.find((c) => c.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use' && first.content.some((c) => c.type === 'thinking'));
    const history: Anthropic.MessageParam[] = [
      { role: 'user', content: 'use the read_file tool' },
      {
        role: 'assistant',
        content: [
          ...(first.content as Anthropic.ContentBlockParam[]),
          { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj' },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '1\tREADME: hello', cache_control: { type: 'ephemeral' } }] },
    ];
    const second = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: history, tools });
    assert.equal(second.type, 'message');
    assertPassedThrough('/v1/messages');
    const upstream = r.demo.requests.at(-1)!.json as { messages: { content: unknown }[] };
    const sentBlocks = (history[1].content as { type: string }[]).filter((b) => b.type.endsWith('thinking'));
    const gotBlocks = (upstream.messages[1].content as { type: string }[]).filter((b) => b.type.endsWith('thinking'));
    assert.equal(gotBlocks.length, 2);
    assert.equal(JSON.stringify(gotBlocks), JSON.stringify(sentBlocks));
  });

  it('count_tokens is forwarded and answered by the upstream', async () => {
    const res = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'count me please' }] });
    assert.ok(res.input_tokens > 0);
    assertPassedThrough('/v1/messages/count_tokens');
  });

  it('Claude Code shape: ?beta=true, Bearer auth, no /v1 in the base URL', async () => {
    const res = await postJson(
      `${r.gw.url}/v1/messages?beta=true`,
      { model: 'claude-opus-4', max_tokens: 10, messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'hi' }], thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
      { authorization: 'Bearer sk-ant-oauth', 'anthropic-version': '2023-06-01', 'x-claude-code-session-id': 'sess-1' },
    );
    assert.equal(res.status, 200, res.text);
    const got = r.demo.requests.at(-1)!;
    assert.equal(got.path, '/v1/messages?beta=true');
    assert.equal(got.headers['x-claude-code-session-id'], 'sess-1');
    assert.deepEqual((got.json as { output_config: unknown }).output_config, { effort: 'high' });
  });

  it('gateway errors on Anthropic routes use the Anthropic envelope and are not retried', async () => {
    const res = await postJson(`${r.gw.url}/v1/messages`, { model: 'claude', max_tokens: 'ten', messages: [] });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-should-retry'), 'false');
    assert.equal(res.json.type, 'error');
    assert.equal(res.json.error.type, 'validation_error');
    assert.equal(res.json.error.code, 'KT_ERR_INVALID_REQUEST');
    assert.match(res.json.error.message, /max_tokens/);
    await assert.rejects(client.messages.create({ model: 'claude', max_tokens: 'x' as never, messages: [] }), (e: unknown) => e instanceof Anthropic.BadRequestError && /max_tokens/.test(e.message));
  });
});
