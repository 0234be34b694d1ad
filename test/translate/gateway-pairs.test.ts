/**
 * Every translator pair through one real gateway to the demo HTTP upstream speaking the target
 * dialect: a JSON and a streamed request with tools (the legacy completions client has none) per pair.
 * Checked on the upstream side: system prompts in order, tool names and schema, tool_choice, the
 * max-tokens field the target expects, usage asked for on chat streams. On the client side: text,
 * tool calls, stop/finish reason and usage, the same for JSON and stream. The table is listPairs(),
 * so a new pair fails here until it has a client and a target below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DialectName } from '../../src/dialects/types.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';
import { createSseParser, type SseEvent } from '../../src/sse/parser.js';
import { FIM_INSTRUCTION } from '../../src/translate/completions-helpers.js';
import { listPairs } from '../../src/translate/registry.js';
import { TEST_ENV, loadYaml } from '../gateway/helpers.js';

const YAML = `
pack: { name: test, version: 1.0.0, enabled: true }
policies: { chain: [] }
providers:
  strategy: single
  retry: { attempts: 1, backoff_ms: 1, max_backoff_ms: 5 }
  targets:
    - { id: chat, provider: openai-compatible, endpoints: [chat], models: [via-chat], secret_key_ref: { env: TEST_KEY } }
    - { id: anthropic, provider: anthropic, models: [via-anthropic], secret_key_ref: { env: TEST_KEY } }
    - { id: responses, provider: openai, endpoints: [responses], models: [via-responses], secret_key_ref: { env: TEST_KEY } }
`;

const MODEL: Partial<Record<DialectName, string>> = { 'openai-chat': 'via-chat', 'anthropic-messages': 'via-anthropic', 'openai-responses': 'via-responses' };

const SCHEMA = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
const TOOLS = [
  { name: 'read_file', arguments: '{"path":"src/a.ts"}' },
  { name: 'grep', arguments: '{"path":"src"}' },
];
const USAGE = { input_tokens: 11, output_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 };

/** What a client made of the answer, in dialect-free terms. `input` counts cached tokens too. */
interface Got {
  text: string;
  tools: string[][];
  stop: 'tool' | 'end' | string;
  usage: { input: number; output: number; cacheRead: number | null };
}

/** What the upstream was asked, in dialect-free terms. */
interface Asked {
  system: string[];
  tools: string[];
  schema?: unknown;
  toolChoice?: string;
  maxTokens: [string, number];
  includeUsage?: boolean;
}

interface Client {
  path: string;
  body(model: string, stream: boolean): Record<string, unknown>;
  json(b: any): Got;
  stream(events: Array<Record<string, any>>): Got;
  withTools: boolean;
}

const stopOf = (s: string) => ({ tool_calls: 'tool', tool_use: 'tool', stop: 'end', end_turn: 'end' })[s] ?? s;
const openaiUsage = (u: any): Got['usage'] => ({ input: u.prompt_tokens, output: u.completion_tokens, cacheRead: u.prompt_tokens_details?.cached_tokens ?? null });

const CLIENTS: Partial<Record<DialectName, Client>> = {
  'openai-chat': {
    path: '/v1/chat/completions',
    withTools: true,
    body: (model, stream) => ({
      model,
      messages: [
        { role: 'system', content: 'S1' },
        { role: 'developer', content: 'S2' },
        { role: 'user', content: 'look around' },
      ],
      tools: TOOLS.map((t) => ({ type: 'function', function: { name: t.name, parameters: SCHEMA } })),
      tool_choice: 'required',
      max_tokens: 300,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
    json: (b) => ({
      text: b.choices[0].message.content ?? '',
      tools: (b.choices[0].message.tool_calls ?? []).map((c: any) => [c.function.name, c.function.arguments]),
      stop: stopOf(b.choices[0].finish_reason),
      usage: openaiUsage(b.usage),
    }),
    stream: (events) => {
      const got: Got = { text: '', tools: [], stop: '', usage: { input: -1, output: -1, cacheRead: null } };
      for (const e of events) {
        const c = e.choices[0];
        if (!c) got.usage = openaiUsage(e.usage);
        got.text += c?.delta?.content ?? '';
        for (const tc of c?.delta?.tool_calls ?? []) {
          got.tools[tc.index] ??= ['', ''];
          got.tools[tc.index][0] += tc.function?.name ?? '';
          got.tools[tc.index][1] += tc.function?.arguments ?? '';
        }
        if (c?.finish_reason) got.stop = stopOf(c.finish_reason);
      }
      return got;
    },
  },
  'anthropic-messages': {
    path: '/v1/messages',
    withTools: true,
    body: (model, stream) => ({
      model,
      max_tokens: 300,
      system: [{ type: 'text', text: 'S1' }],
      // Claude Code puts a system message inside messages[].
      messages: [
        { role: 'system', content: 'S2' },
        { role: 'user', content: 'look around' },
      ],
      tools: TOOLS.map((t) => ({ name: t.name, input_schema: SCHEMA })),
      tool_choice: { type: 'any' },
      ...(stream ? { stream: true } : {}),
    }),
    json: (b) => ({
      text: b.content.filter((c: any) => c.type === 'text').map((c: any) => c.text).join(''),
      tools: b.content.filter((c: any) => c.type === 'tool_use').map((c: any) => [c.name, JSON.stringify(c.input)]),
      stop: stopOf(b.stop_reason),
      usage: { input: b.usage.input_tokens + (b.usage.cache_read_input_tokens ?? 0) + (b.usage.cache_creation_input_tokens ?? 0), output: b.usage.output_tokens, cacheRead: b.usage.cache_read_input_tokens },
    }),
    stream: (events) => {
      const got: Got = { text: '', tools: [], stop: '', usage: { input: -1, output: -1, cacheRead: null } };
      const u: Record<string, number | null> = {};
      for (const e of events) {
        if (e.type === 'message_start') Object.assign(u, e.message.usage);
        if (e.type === 'content_block_start' && e.content_block.type === 'tool_use') got.tools.push([e.content_block.name, '']);
        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') got.text += e.delta.text;
        if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') got.tools.at(-1)![1] += e.delta.partial_json;
        if (e.type === 'message_delta') {
          Object.assign(u, e.usage);
          got.stop = stopOf(e.delta.stop_reason);
        }
      }
      got.usage = { input: (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0), output: u.output_tokens!, cacheRead: u.cache_read_input_tokens ?? null };
      return got;
    },
  },
  'openai-responses': {
    path: '/v1/responses',
    withTools: true,
    body: (model, stream) => ({
      model,
      instructions: 'S1',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'S2' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look around' }] },
      ],
      tools: TOOLS.map((t) => ({ type: 'function', name: t.name, parameters: SCHEMA, strict: false })),
      tool_choice: 'required',
      max_output_tokens: 300,
      store: false,
      ...(stream ? { stream: true } : {}),
    }),
    json: (b) => responsesGot(b),
    stream: (events) => {
      const done = events.at(-1)!;
      assert.equal(done.type, 'response.completed');
      const got = responsesGot(done.response);
      assert.equal(events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join(''), got.text, 'text deltas add up to the final text');
      return got;
    },
  },
  'openai-completions': {
    path: '/v1/completions',
    withTools: false,
    body: (model, stream) => ({ model, prompt: 'function add(a, b) {\n  ', suffix: '\n}', max_tokens: 300, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) }),
    json: (b) => ({ text: b.choices[0].text, tools: [], stop: stopOf(b.choices[0].finish_reason), usage: openaiUsage(b.usage) }),
    stream: (events) => {
      const got: Got = { text: '', tools: [], stop: '', usage: { input: -1, output: -1, cacheRead: null } };
      for (const e of events) {
        const c = e.choices[0];
        if (!c) got.usage = openaiUsage(e.usage);
        got.text += c?.text ?? '';
        if (c?.finish_reason) got.stop = stopOf(c.finish_reason);
      }
      return got;
    },
  },
};

function responsesGot(r: any): Got {
  const calls = r.output.filter((o: any) => o.type === 'function_call');
  return {
    text: r.output.filter((o: any) => o.type === 'message').flatMap((o: any) => o.content.map((c: any) => c.text)).join(''),
    tools: calls.map((c: any) => [c.name, c.arguments]),
    stop: r.status !== 'completed' ? r.status : calls.length ? 'tool' : 'end',
    usage: { input: r.usage.input_tokens, output: r.usage.output_tokens, cacheRead: r.usage.input_tokens_details?.cached_tokens ?? null },
  };
}

const TARGETS: Partial<Record<DialectName, (b: any) => Asked>> = {
  'openai-chat': (b) => ({
    system: b.messages.filter((m: any) => m.role === 'system').map((m: any) => m.content),
    tools: (b.tools ?? []).map((t: any) => t.function.name),
    schema: b.tools?.[0].function.parameters,
    toolChoice: b.tool_choice,
    maxTokens: maxTokens(b),
    includeUsage: b.stream ? b.stream_options?.include_usage : undefined,
  }),
  'anthropic-messages': (b) => ({
    system: b.system.map((s: any) => s.text),
    tools: (b.tools ?? []).map((t: any) => t.name),
    schema: b.tools?.[0].input_schema,
    toolChoice: b.tool_choice === undefined ? undefined : b.tool_choice.type === 'any' ? 'required' : JSON.stringify(b.tool_choice),
    maxTokens: maxTokens(b),
  }),
  'openai-responses': (b) => ({
    system: b.input.filter((i: any) => i.role === 'system' || i.role === 'developer').map((i: any) => i.content.map((c: any) => c.text).join('')),
    tools: (b.tools ?? []).map((t: any) => t.name),
    schema: b.tools?.[0].parameters,
    toolChoice: b.tool_choice,
    maxTokens: maxTokens(b),
  }),
};

function maxTokens(b: any): [string, number] {
  const fields = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'].filter((f) => b[f] !== undefined);
  assert.equal(fields.length, 1, `one max-tokens field upstream, got ${fields.join(', ')}`);
  return [fields[0], b[fields[0]]];
}

const MAX_FIELD: Partial<Record<DialectName, string>> = { 'openai-chat': 'max_tokens', 'anthropic-messages': 'max_tokens', 'openai-responses': 'max_output_tokens' };

async function send(url: string, body: unknown): Promise<{ status: number; json?: any; events?: Array<Record<string, any>>; raw: SseEvent[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k', authorization: 'Bearer k' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('event-stream')) return { status: res.status, json: JSON.parse(text), raw: [] };
  const raw: SseEvent[] = [];
  const parser = createSseParser({ onEvent: (e) => raw.push(e) });
  parser.feed(text);
  parser.end();
  return { status: res.status, raw, events: raw.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data)) };
}

describe('every translator pair through the gateway to the demo upstream', () => {
  let demo: DemoServer;
  let gw: Gateway;
  before(async () => {
    demo = await startDemoServer();
    gw = await startGateway({ loaded: loadYaml(YAML, demo.url), listen: '127.0.0.1:0', logger: false, env: TEST_ENV });
  });
  after(async () => {
    await gw?.close();
    await demo?.close();
  });

  for (const { from, to } of listPairs()) {
    it(`${from} → ${to}: JSON and stream with tools`, async () => {
      const client = CLIENTS[from];
      const target = TARGETS[to];
      assert.ok(client && target && MODEL[to], `the table has a client for ${from} and a target for ${to}`);
      demo.reset();
      const text = client.withTools ? 'Looking.' : 'return a + b;';
      demo.script({ text, ...(client.withTools ? { toolCalls: TOOLS } : {}), usage: USAGE, times: 2 });

      const plain = await send(gw.url + client.path, client.body(MODEL[to]!, false));
      assert.equal(plain.status, 200, JSON.stringify(plain.json));
      const streamed = await send(gw.url + client.path, client.body(MODEL[to]!, true));
      assert.equal(streamed.status, 200);
      assert.ok(streamed.events && streamed.events.length > 2, 'an SSE stream came back');
      assert.equal(streamed.raw.some((e) => e.data === '[DONE]'), from === 'openai-chat' || from === 'openai-completions', '[DONE] only where the dialect has it');

      const want: Got = {
        text,
        tools: client.withTools ? TOOLS.map((t) => [t.name, t.arguments]) : [],
        stop: client.withTools ? 'tool' : 'end',
        usage: { input: 131, output: 7, cacheRead: 100 },
      };
      assert.deepEqual(client.json(plain.json), want, 'JSON answer');
      assert.deepEqual(client.stream(streamed.events), want, 'streamed answer');

      assert.equal(demo.requests.length, 2);
      demo.requests.forEach((r, i) => {
        assert.equal(r.path, `/v1${{ 'openai-chat': '/chat/completions', 'anthropic-messages': '/messages', 'openai-responses': '/responses' }[to as string]}`);
        const asked = target(r.json);
        assert.deepEqual(asked.system, client.withTools ? ['S1', 'S2'] : [FIM_INSTRUCTION], 'system prompts in order');
        assert.deepEqual(asked.tools, client.withTools ? TOOLS.map((t) => t.name) : []);
        if (client.withTools) {
          assert.deepEqual(asked.schema, SCHEMA);
          assert.equal(asked.toolChoice, 'required');
        } else assert.equal(asked.toolChoice, undefined, 'no tool_choice without tools');
        assert.deepEqual(asked.maxTokens, [MAX_FIELD[to], 300]);
        if (to === 'openai-chat') assert.equal(asked.includeUsage, i === 1 ? true : undefined, 'usage asked for on the chat stream');
      });
    });
  }
});
