import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../audit/open-store.js';
import type { Db } from '../audit/db/types.js';
import type { Exchange } from '../gateway/exchange.js';
import { AccessKeys } from './access-keys.js';
import { conversationIdOf, detectClient } from './client-detect.js';
import { createIdentify } from './identify.js';
import { declaredTools, evaluateRbac } from './rbac.js';

function ex(headers: Record<string, string>, remoteAddress = '127.0.0.1'): Exchange {
  return { headers, remoteAddress, principal: { kind: 'anonymous' }, client: 'unknown', policyResults: [] } as unknown as Exchange;
}

describe('client detection', () => {
  const cases: [string, string][] = [
    ['claude-cli/2.1.197 (external, cli)', 'claude-cli'],
    ['codex_exec/0.169.0 (Debian 12; x86_64) xterm', 'codex'],
    ['codex_cli_rs/0.169.0', 'codex'],
    ['QwenCode/0.15.10 (linux; x64)', 'qwen'],
    ['opencode/1.18.33 ai-sdk/provider-utils/3.0.0', 'opencode'],
    ['Kilo-Code/7.7.7', 'kilo'],
    ['ai-sdk/openai-compatible/1.0.0', 'cline'],
    ['GeminiCLI/0.61.0 (linux; x64)', 'gemini-cli'],
    ['OpenAI/JS 6.49.0', 'openai-sdk'],
    ['Anthropic/JS 1.12.0', 'anthropic-sdk'],
    ['curl/8.5.0', 'curl'],
    ['Mozilla/5.0', 'other'],
  ];
  for (const [ua, want] of cases) it(`${ua} → ${want}`, () => assert.equal(detectClient(ua), want));
  it('no User-Agent → unknown', () => assert.equal(detectClient(undefined), 'unknown'));

  it('conversation id: X-Conversation-ID, else Claude Code session, else Codex session-id', () => {
    assert.equal(conversationIdOf({ 'x-conversation-id': 'a', 'x-claude-code-session-id': 'b', 'session-id': 'c' }), 'a');
    assert.equal(conversationIdOf({ 'x-claude-code-session-id': 'b', 'session-id': 'c' }), 'b');
    assert.equal(conversationIdOf({ 'session-id': 'c' }), 'c');
  });
});

describe('access keys and identify', () => {
  let dir: string;
  let db: Db;
  let keys: AccessKeys;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kt-keys-'));
    db = await openDb({}, dir);
    keys = new AccessKeys(db, { cacheTtlMs: 0 });
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores only the hash of a key', async () => {
    const { key, record } = await keys.create({ name: 'ci', userId: 'u1' });
    assert.match(key, /^kt_[0-9a-f]{48}$/);
    assert.ok(record.prefix.length < 12);
    await db.query('PRAGMA wal_checkpoint(TRUNCATE)');
    for (const f of ['events.db', 'events.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(dir, f));
      } catch {
        continue;
      }
      assert.ok(!bytes.includes(key), `key found in ${f}`);
      assert.ok(!bytes.includes(key.slice(10)), `key body found in ${f}`);
    }
    assert.equal((await keys.check(key)).ok, true);
  });

  it('key identity wins over headers; bad, revoked and expired keys get 401', async () => {
    const { key, record } = await keys.create({ name: 'alice-laptop', userId: 'alice', teamId: 'web', roles: ['dev'] });
    const identify = createIdentify({ mode: 'keys', keys });
    const e = ex({ authorization: `Bearer ${key}`, 'x-user-id': 'mallory', 'x-project-id': 'p9', 'user-agent': 'claude-cli/2.1' });
    assert.equal(await identify(e), undefined);
    assert.equal(e.principal.kind, 'key');
    assert.equal(e.principal.userId, 'alice');
    assert.equal(e.principal.projectId, 'p9', 'headers fill what the key leaves open');
    assert.deepEqual(e.principal.roles, ['dev']);
    assert.equal(e.client, 'claude-cli');

    const viaXApiKey = ex({ 'x-api-key': key });
    assert.equal(await identify(viaXApiKey), undefined);
    assert.equal(viaXApiKey.principal.keyId, record.id);

    assert.equal((await identify(ex({})))?.code, 'KT_ERR_UNAUTHENTICATED');
    assert.equal((await identify(ex({ authorization: 'Bearer sk-provider' })))?.code, 'KT_ERR_UNAUTHENTICATED');
    await keys.revoke(record.id);
    const revoked = await identify(ex({ authorization: `Bearer ${key}` }));
    assert.equal(revoked?.code, 'KT_ERR_UNAUTHENTICATED');
    assert.match(revoked!.message, /revoked/);
    assert.ok(!revoked!.message.includes(key));

    const { key: old } = await keys.create({ name: 'old', expiresAt: new Date(Date.now() - 1000) });
    assert.match((await identify(ex({ authorization: `Bearer ${old}` })))!.message, /expired/);
  });

  it('mode none admits loopback only; passthrough needs a provider key', async () => {
    const none = createIdentify({ mode: 'none', keys });
    const local = ex({ 'x-user-id': 'bob', 'x-team-id': 't', 'x-keeptrusts-agent-id': 'agent-7' });
    assert.equal(await none(local), undefined);
    assert.deepEqual([local.principal.kind, local.principal.userId, local.principal.agentId], ['anonymous', 'bob', 'agent-7']);
    assert.equal((await none(ex({}, '10.0.0.5')))?.code, 'KT_ERR_UNAUTHENTICATED');
    assert.equal(await none(ex({}, '::ffff:127.0.0.1')), undefined);

    const pass = createIdentify({ mode: 'passthrough', keys });
    const p = ex({ 'x-api-key': 'sk-ant-provider', 'x-user-id': 'carol' });
    assert.equal(await pass(p), undefined);
    assert.equal(p.principal.kind, 'passthrough');
    assert.equal(p.principal.userId, 'carol');
    assert.equal((await pass(ex({})))?.code, 'KT_ERR_UNAUTHENTICATED');
  });
});

describe('rbac', () => {
  const headers = { 'x-user-id': 'u' };
  it('require_auth and deny_if_missing', () => {
    assert.equal(evaluateRbac({ require_auth: true }, { principal: { kind: 'anonymous' }, headers, tools: [] }).reasonCode, 'auth_required');
    assert.equal(evaluateRbac({ require_auth: true }, { principal: { kind: 'key' }, headers, tools: [] }).verdict, 'allow');
    assert.equal(evaluateRbac({ deny_if_missing: ['X-Team-Id'] }, { principal: { kind: 'anonymous' }, headers, tools: [] }).reasonCode, 'missing_header');
  });
  it('roles allow and deny models and tools with globs', () => {
    const cfg = {
      default_role: 'dev',
      roles: { dev: { allowed_models: ['claude-*', 'gpt-4o-mini'], denied_tools: ['Bash', 'mcp__prod_*'] }, admin: {} },
    };
    const dev = { kind: 'anonymous' as const };
    assert.equal(evaluateRbac(cfg, { principal: dev, headers, model: 'claude-sonnet-4-5', tools: ['Read'] }).verdict, 'allow');
    assert.equal(evaluateRbac(cfg, { principal: dev, headers, model: 'gpt-4o', tools: [] }).reasonCode, 'model_denied');
    const t = evaluateRbac(cfg, { principal: dev, headers, model: 'claude-x', tools: ['Read', 'mcp__prod_db'] });
    assert.equal(t.reasonCode, 'tool_denied');
    assert.match(t.message!, /mcp__prod_db/);
    assert.equal(evaluateRbac(cfg, { principal: { kind: 'key', roles: ['admin'] }, headers, model: 'gpt-4o', tools: ['Bash'] }).verdict, 'allow');
    assert.equal(evaluateRbac(cfg, { principal: { kind: 'key', roles: ['nobody'] }, headers, tools: [] }).reasonCode, 'role_denied');
  });
  it('reads tool names from every dialect', () => {
    assert.deepEqual(declaredTools({ tools: [{ name: 'Read' }, { type: 'function', function: { name: 'shell' } }, { type: 'function', name: 'apply_patch' }, { type: 'web_search' }] }), [
      'Read', 'shell', 'apply_patch', 'web_search',
    ]);
  });
});
