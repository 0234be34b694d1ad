/**
 * Dialect by host + path through the forward proxy: Azure OpenAI (deployment and v1 routes), Gemini's
 * OpenAI-compatible endpoint and Copilot's legacy engines route are governed in their OpenAI dialect;
 * JSON on a path no dialect knows (Gemini native, a JetBrains-shaped protocol) has every string value
 * scanned and redacted (`proxy.unknown_paths: scan`), or is relayed / refused per config. A real
 * undici ProxyAgent trusting the kt CA talks to a local HTTPS demo server holding the real names.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProxyAgent, request } from 'undici';
import { SECRET, startRig, type ProxyRig } from './helpers.js';

describe('forward proxy: dialect by host and path', () => {
  let rig: ProxyRig;
  let agent: ProxyAgent;
  before(async () => {
    rig = await startRig();
    agent = new ProxyAgent({ uri: rig.gw.url, requestTls: { ca: rig.ktCa.certPem } });
  });
  after(async () => {
    await agent?.close();
    await rig?.close();
  });

  const post = async (url: string, body: unknown, requestId: string, headers: Record<string, string> = {}) => {
    const before = rig.demo.requests.length;
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    const upstream = rig.demo.requests.slice(before);
    return { status: res.statusCode, headers: res.headers, text, upstream: upstream[0], upstreamCount: upstream.length };
  };

  const assertGoverned = async (requestId: string, upstreamRaw: string, dialect: string, provider?: string) => {
    assert.ok(!upstreamRaw.includes(SECRET), 'the secret never reaches the provider');
    assert.match(upstreamRaw, /REDACTED/);
    const ev = await rig.eventFor(requestId);
    assert.ok(ev, 'a decision event is recorded');
    assert.equal(ev.dialect, dialect);
    assert.equal(ev.via_proxy, true);
    assert.equal(ev.verdict, 'redact');
    assert.ok(!JSON.stringify(ev).includes(SECRET));
    if (provider) assert.equal(ev.provider, provider, 'the event names who runs the host');
    return ev;
  };

  it('Azure OpenAI deployment route: governed as chat, model = deployment, path and api-version kept', async () => {
    const r = await post(
      'https://myres.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
      { messages: [{ role: 'user', content: `use key ${SECRET} for the deploy` }] },
      'azure-deploy-1',
      { 'api-key': 'azure-client-key' },
    );
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).object, 'chat.completion');
    assert.equal(r.upstream.path, '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    assert.equal(r.upstream.headers.host, 'myres.openai.azure.com');
    assert.equal(r.upstream.headers['api-key'], 'azure-client-key', "the client's own Azure key goes through");
    assert.equal((r.upstream.json as { model?: string }).model, undefined, 'no model is added to a deployment request');
    const ev = await assertGoverned('azure-deploy-1', r.upstream.rawBody.toString(), 'openai-chat', 'azure-openai');
    assert.equal(ev.model, 'gpt4o-prod');
    assert.equal(ev.route, '/openai/deployments/{deployment}/chat/completions');
    assert.equal(ev.outcome, 'served');
  });

  it('Azure OpenAI v1 routes: embeddings and responses are governed in their dialects', async () => {
    const emb = await post('https://myres.openai.azure.com/openai/v1/embeddings', { model: 'text-embedding-3-small', input: `index ${SECRET}` }, 'azure-v1-emb');
    assert.equal(emb.status, 200, emb.text);
    assert.equal(emb.upstream.path, '/openai/v1/embeddings');
    await assertGoverned('azure-v1-emb', emb.upstream.rawBody.toString(), 'openai-embeddings', 'azure-openai');

    const resp = await post('https://myres.openai.azure.com/openai/v1/responses', { model: 'gpt-4.1', input: `rotate ${SECRET}` }, 'azure-v1-resp');
    assert.equal(resp.status, 200, resp.text);
    assert.equal(JSON.parse(resp.text).object, 'response');
    await assertGoverned('azure-v1-resp', resp.upstream.rawBody.toString(), 'openai-responses', 'azure-openai');
  });

  it("Gemini's OpenAI-compatible endpoint is governed as chat, streaming", async () => {
    const r = await post(
      'https://generativelanguage.googleapis.com/v1beta/openai/chat/completions',
      { model: 'gemini-2.0-flash', stream: true, messages: [{ role: 'user', content: `my key is ${SECRET}` }] },
      'gemini-compat-1',
      { authorization: 'Bearer gemini-client-key' },
    );
    assert.equal(r.status, 200, r.text);
    assert.match(String(r.headers['content-type']), /text\/event-stream/);
    assert.match(r.text, /data: \[DONE\]\n\n$/);
    assert.equal(r.upstream.path, '/v1beta/openai/chat/completions');
    const ev = await assertGoverned('gemini-compat-1', r.upstream.rawBody.toString(), 'openai-chat', 'google');
    assert.equal(ev.stream, true);
  });

  it("Copilot's legacy engines route is governed as completions (prompt and suffix), model = engine", async () => {
    const r = await post(
      'https://copilot-proxy.githubusercontent.com/v1/engines/copilot-codex/completions',
      { prompt: `# config\nAWS_ACCESS_KEY_ID = "${SECRET}"\n`, suffix: `\n# ${SECRET}`, max_tokens: 20, temperature: 0, stream: true, extra: { language: 'python' } },
      'copilot-engine-1',
      { authorization: 'Bearer ghu-copilot-token' },
    );
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /"text_completion"/);
    const up = r.upstream.json as { prompt: string; suffix: string; extra: unknown };
    assert.ok(!up.prompt.includes(SECRET) && !up.suffix.includes(SECRET));
    assert.deepEqual(up.extra, { language: 'python' }, 'fields kt does not know are forwarded');
    const ev = await assertGoverned('copilot-engine-1', r.upstream.rawBody.toString(), 'openai-completions', 'github-copilot');
    assert.equal(ev.model, 'copilot-codex');
    assert.equal(ev.route, '/v1/engines/{engine}/completions');

    const chat = await post('https://api.githubcopilot.com/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: `deploy ${SECRET}` }] }, 'copilot-chat-1');
    assert.equal(chat.status, 200, chat.text);
    assert.equal(chat.upstream.path, '/chat/completions');
    await assertGoverned('copilot-chat-1', chat.upstream.rawBody.toString(), 'openai-chat', 'github-copilot');
  });

  it('unknown JSON path (Gemini native): every string value is scanned and redacted in place; the answer is relayed', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: `use ${SECRET} to sign in` }] }], generationConfig: { temperature: 0.2, stopSequences: ['END'] } };
    const r = await post('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaFakeClientKey', body, 'gemini-native-1');
    assert.equal(r.upstreamCount, 1);
    assert.equal(r.status, 404, 'the demo does not know this route: its answer is relayed as it came');
    assert.equal(r.upstream.path, '/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaFakeClientKey', 'path and query go as sent');
    const up = r.upstream.json as typeof body;
    assert.match(up.contents[0].parts[0].text, /^use .*REDACTED.* to sign in$/);
    assert.deepEqual(up.generationConfig, body.generationConfig, 'everything else is untouched');
    const ev = await assertGoverned('gemini-native-1', r.upstream.rawBody.toString(), 'generic-json', 'google');
    assert.equal(ev.route, '/v1beta/models/gemini-2.0-flash:generateContent');
    assert.ok(!JSON.stringify(ev).includes('AIzaFakeClientKey'), 'the query string is not recorded');
    const paths = ev.policies.flatMap((p) => p.findings.map((f) => f.path));
    assert.ok(paths.includes('contents[0].parts[0].text'), JSON.stringify(paths));
    assert.ok(!ev.policies.some((p) => p.phase === 'output'), 'answers on unknown protocols are not scanned');
  });

  it('unknown JSON path on a JetBrains-shaped streaming endpoint: strings at any depth are redacted', async () => {
    let nested: unknown = { note: `token ${SECRET}` };
    for (let i = 0; i < 80; i++) nested = { wrap: [nested] };
    const body = { prompt: 'ij.chat.request', profile: 'openai-gpt-4o', chat: { messages: [{ type: 'user_message', content: `here: ${SECRET}` }] }, deep: nested };
    const r = await post('https://api.jetbrains.ai/user/v5/llm/chat/stream/v8', JSON.stringify(body), 'jb-1', { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(r.upstreamCount, 1);
    const raw = r.upstream.rawBody.toString();
    assert.equal((raw.match(/REDACTED/g) ?? []).length >= 2, true, raw.slice(0, 200));
    const ev = await assertGoverned('jb-1', raw, 'generic-json', 'jetbrains');
    assert.equal(ev.stream, true, 'a stream path is relayed as a stream');
  });

  it('JSON PUT and PATCH on unknown paths are scanned like POSTs and forwarded with their own method', async () => {
    for (const method of ['PUT', 'PATCH'] as const) {
      const before = rig.demo.requests.length;
      const id = `jb-${method.toLowerCase()}-1`;
      const res = await request('https://api.jetbrains.ai/user/v5/settings/prompt-library', {
        method,
        dispatcher: agent,
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify({ prompts: [{ name: 'deploy', text: `login with ${SECRET}` }] }),
      });
      await res.body.text();
      const up = rig.demo.requests.slice(before);
      assert.equal(up.length, 1);
      assert.equal(up[0].method, method);
      assert.equal(up[0].path, '/user/v5/settings/prompt-library');
      const ev = await assertGoverned(id, up[0].rawBody.toString(), 'generic-json', 'jetbrains');
      assert.equal(ev.route, '/user/v5/settings/prompt-library');
    }
  });

  it('a non-JSON body on an unknown path is relayed as is, with a passthrough event', async () => {
    const bytes = Buffer.from([0x0a, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0xff, 0x00]);
    const before = rig.demo.requests.length;
    const res = await request('https://api.jetbrains.ai/auth/jetbrains-jwt/provide-access', {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-protobuf', 'x-request-id': 'jb-proto-1' },
      body: bytes,
    });
    await res.body.text();
    assert.ok(rig.demo.requests[before].rawBody.equals(bytes), 'bytes unchanged');
    const ev = await rig.eventFor('jb-proto-1');
    assert.equal(ev?.dialect, 'passthrough');
    assert.equal(ev?.host, 'api.jetbrains.ai');
  });

  it('proxy.unknown_paths: passthrough relays unknown JSON untouched; deny refuses it (400, event) and still passes GETs', async () => {
    const url = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent';
    const body = { contents: [{ parts: [{ text: `raw ${SECRET}` }] }] };
    try {
      await rig.reload('unknown_paths: passthrough');
      const pass = await post(url, body, 'unknown-pass-1');
      assert.ok(pass.upstream.rawBody.toString().includes(SECRET), 'passthrough: relayed as sent (the documented trade-off)');
      assert.equal((await rig.eventFor('unknown-pass-1'))?.dialect, 'passthrough');

      await rig.reload('unknown_paths: deny');
      const denied = await post(url, body, 'unknown-deny-1');
      assert.equal(denied.status, 400);
      assert.equal(denied.upstreamCount, 0, 'nothing reached the provider');
      const err = JSON.parse(denied.text).error;
      assert.equal(err.kt_code, 'KT_ERR_POLICY_BLOCKED');
      assert.equal(err.code, 'unknown_path');
      assert.match(err.message, /unknown_paths is deny/);
      const ev = await rig.eventFor('unknown-deny-1');
      assert.equal(ev?.verdict, 'block');
      assert.equal(ev?.reason_code, 'unknown_path');
      // Known API shapes and body-less requests are unaffected.
      const models = await request('https://api.openai.com/v1/models', { dispatcher: agent });
      assert.equal(models.statusCode, 200);
      await models.body.text();
      const chat = await post('https://api.openai.com/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `x ${SECRET}` }] }, 'deny-known-1');
      assert.equal(chat.status, 200);
      await assertGoverned('deny-known-1', chat.upstream.rawBody.toString(), 'openai-chat');
    } finally {
      await rig.reload('');
    }
  });
});
