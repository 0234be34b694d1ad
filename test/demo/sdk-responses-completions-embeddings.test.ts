/**
 * The official `openai` client parses the demo's Responses, Completions and Embeddings answers,
 * JSON and SSE; the stream helpers reconstruct the non-streaming answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startDemoServer, type DemoServer } from '../../src/providers/demo/index.js';

let server: DemoServer;
let openai: OpenAI;

before(async () => {
  server = await startDemoServer();
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-demo', maxRetries: 0 });
});
after(() => server.close());

const shellTool = {
  type: 'function' as const,
  name: 'shell',
  description: 'Run a command',
  strict: false,
  parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } }, workdir: { type: 'string' } }, required: ['command'] },
};

/** Drops what the SDK adds to a streamed response (parsed fields, output_text helper). */
function comparable(r: unknown): unknown {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === 'parsed_arguments' || k === 'parsed' || k === 'output_parsed' || k === 'output_text' || k === 'created_at' ? undefined : v)));
}

describe('openai responses', () => {
  it('answers Codex-shaped input (developer items, no instructions) with text', async () => {
    const res = await openai.responses.create({
      model: 'gpt-demo',
      store: false,
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'you are codex' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
      ],
      tools: [shellTool],
    });
    assert.equal(res.object, 'response');
    assert.equal(res.status, 'completed');
    assert.equal(res.model, 'gpt-demo');
    assert.equal((res as unknown as { store: boolean }).store, false);
    assert.equal(res.output_text, 'Demo reply from kt: I received 2 messages (1 tool). Your last message was: "list files"');
    assert.ok(res.usage && res.usage.input_tokens > 0 && res.usage.total_tokens === res.usage.input_tokens + res.usage.output_tokens);
  });

  it('streams the full event sequence; finalResponse equals the JSON answer', async () => {
    const body = { model: 'gpt-demo', input: 'hello responses' };
    const json = await openai.responses.create(body);
    const stream = openai.responses.stream(body);
    const types: string[] = [];
    const seqs: number[] = [];
    stream.on('event', (ev) => {
      types.push(ev.type);
      seqs.push(ev.sequence_number);
    });
    const final = await stream.finalResponse();
    assert.deepEqual(comparable(final), comparable(json));
    const uniq = types.filter((t, i) => t !== types[i - 1]);
    assert.deepEqual(uniq, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(seqs, seqs.map((_, i) => i));
  });

  it('tool calls with argument deltas, then reasoning with encrypted_content when included', async () => {
    const body = {
      model: 'gpt-demo',
      input: 'use the shell tool',
      tools: [shellTool],
      include: ['reasoning.encrypted_content' as const],
    };
    const json = await openai.responses.create(body);
    assert.deepEqual(json.output.map((o) => o.type), ['reasoning', 'function_call']);
    const reasoning = json.output[0];
    assert.ok(reasoning.type === 'reasoning' && typeof reasoning.encrypted_content === 'string' && reasoning.encrypted_content.length > 20);
    const call = json.output[1];
    assert.ok(call.type === 'function_call');
    assert.equal(call.name, 'shell');
    assert.match(call.call_id, /^call_/);
    assert.deepEqual(JSON.parse(call.arguments), { command: ['ls'] });

    const stream = openai.responses.stream(body);
    let argDeltas = 0;
    stream.on('response.function_call_arguments.delta', () => argDeltas++);
    const final = await stream.finalResponse();
    assert.ok(argDeltas >= 3);
    assert.deepEqual(comparable(final), comparable(json));
  });

  it('reasoning summary when asked, streamed as summary events', async () => {
    const body = { model: 'gpt-demo', input: 'think', reasoning: { effort: 'low' as const, summary: 'auto' as const } };
    const json = await openai.responses.create(body);
    assert.deepEqual(json.output.map((o) => o.type), ['reasoning', 'message']);
    const reasoning = json.output[0];
    assert.ok(reasoning.type === 'reasoning');
    assert.equal(reasoning.summary.length, 1);
    assert.equal(reasoning.encrypted_content, undefined, 'not included unless asked');
    const stream = openai.responses.stream(body);
    const types = new Set<string>();
    stream.on('event', (ev) => types.add(ev.type));
    const final = await stream.finalResponse();
    assert.deepEqual(comparable(final), comparable(json));
    for (const t of ['response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done']) {
      assert.ok(types.has(t), t);
    }
  });

  it('answers text after a function_call_output, quoting it', async () => {
    const res = await openai.responses.create({
      model: 'gpt-demo',
      input: [
        { role: 'user', content: 'use the shell tool' },
        { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'README.md\nsrc' },
      ],
      tools: [shellTool],
    });
    assert.equal(res.output_text, 'Demo reply from kt: I received 3 messages (1 tool). Your last message was: "use the shell tool" The last tool result was: "README.md src"');
  });

  it('max_output_tokens → incomplete', async () => {
    const res = await openai.responses.create({ model: 'm', input: 'hi', max_output_tokens: 16 });
    assert.equal(res.status, 'incomplete');
    assert.deepEqual(res.incomplete_details, { reason: 'max_output_tokens' });
  });
});

describe('openai completions (FIM)', () => {
  it('JSON and stream agree; usage chunk only with include_usage', async () => {
    const body = { model: 'code-demo', prompt: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))' };
    const json = await openai.completions.create(body);
    assert.equal(json.object, 'text_completion');
    assert.equal(json.model, 'code-demo');
    assert.equal(json.choices[0].finish_reason, 'stop');
    assert.match(json.choices[0].text, /^Demo completion from kt: I received a prompt of 19 characters and a suffix of 18 characters/);
    let text = '';
    let usage: unknown;
    for await (const c of await openai.completions.create({ ...body, stream: true, stream_options: { include_usage: true } })) {
      text += c.choices[0]?.text ?? '';
      if (c.usage) usage = c.usage;
    }
    assert.equal(text, json.choices[0].text);
    assert.deepEqual(usage, json.usage);
  });
});

describe('openai embeddings', () => {
  it('deterministic unit vectors, dimensions and base64 honoured', async () => {
    // The SDK asks for base64 by default and decodes it.
    const a = await openai.embeddings.create({ model: 'text-embedding-demo', input: ['alpha', 'beta'], dimensions: 8 });
    assert.equal(a.object, 'list');
    assert.equal(a.data.length, 2);
    assert.equal(a.data[0].embedding.length, 8);
    const norm = Math.sqrt(a.data[0].embedding.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-5);
    const f = await openai.embeddings.create({ model: 'text-embedding-demo', input: 'alpha', dimensions: 8, encoding_format: 'float' });
    assert.deepEqual(f.data[0].embedding.map((x) => Math.fround(x)), a.data[0].embedding.map((x) => Math.fround(x)));
    assert.notDeepEqual(a.data[0].embedding, a.data[1].embedding);
    const d = await openai.embeddings.create({ model: 'text-embedding-demo', input: 'alpha', encoding_format: 'float' });
    assert.equal(d.data[0].embedding.length, 1536);
    assert.ok(a.usage.prompt_tokens > 0);
  });
});

describe('models', () => {
  it('lists demo models', async () => {
    const ids = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    assert.ok(ids.includes('kt-demo'));
  });
});
