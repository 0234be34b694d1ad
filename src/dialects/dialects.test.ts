/** Each dialect renders gateway errors in its own envelope and stream event, and finds its routes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../errors.js';
import { allDialects, dialect, dialectForPath } from './registry.js';

const blocked = new GatewayError('KT_ERR_POLICY_BLOCKED', 'blocked by code-sanitation (aws-access-key)', { reason: 'input_blocked', policy: 'code-sanitation' });

test('routes with and without /v1 and a trailing slash', () => {
  assert.equal(dialectForPath('/v1/messages')?.name, 'anthropic-messages');
  assert.equal(dialectForPath('/messages/count_tokens')?.name, 'anthropic-count-tokens');
  assert.equal(dialectForPath('/v1/chat/completions/')?.name, 'openai-chat');
  assert.equal(dialectForPath('/v1/responses')?.name, 'openai-responses');
  assert.equal(dialectForPath('/v1/unknown'), undefined);
});

test('OpenAI envelope carries type, code, policy and message inside `error`', () => {
  for (const d of allDialects().filter((x) => x.family === 'openai')) {
    const body = d.errorBody(blocked, 'req_1') as { error: Record<string, unknown> };
    assert.equal(body.error.type, 'policy_violation', d.name);
    assert.equal(body.error.code, 'input_blocked');
    assert.equal(body.error.policy, 'code-sanitation');
    assert.equal(body.error.kt_code, 'KT_ERR_POLICY_BLOCKED');
    assert.match(String(body.error.message), /code-sanitation/);
  }
});

test('Anthropic envelope is {type:"error", error:{…}}', () => {
  const body = dialect('anthropic-messages').errorBody(blocked, 'req_1') as { type: string; error: Record<string, unknown> };
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, 'policy_violation');
  assert.equal(body.error.code, 'input_blocked');
});

test('stream error events follow each dialect', () => {
  const [chat] = dialect('openai-chat').streamError(blocked, 'r');
  assert.equal(chat.event, undefined);
  assert.equal(JSON.parse(chat.data).error.code, 'input_blocked');
  const [resp] = dialect('openai-responses').streamError(blocked, 'r');
  assert.equal(resp.event, 'error');
  assert.equal(JSON.parse(resp.data).type, 'error');
  const [msg] = dialect('anthropic-messages').streamError(blocked, 'r');
  assert.equal(msg.event, 'error');
  assert.equal(JSON.parse(msg.data).error.type, 'policy_violation');
});

test('usage from JSON: unknown stays null, never 0', () => {
  assert.equal(dialect('openai-chat').usageFromJson({ choices: [] }), undefined);
  assert.deepEqual(dialect('openai-chat').usageFromJson({ usage: { prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 3 } } }), {
    inputTokens: 5,
    outputTokens: 2,
    cacheReadTokens: 3,
    cacheWriteTokens: null,
  });
  // OpenAI-compatible servers in front of Anthropic models report cache writes in the `openai` SDK's field.
  assert.equal(dialect('openai-chat').usageFromJson({ usage: { prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 3, cache_write_tokens: 4 } } })?.cacheWriteTokens, 4);
  assert.equal(
    dialect('openai-responses').usageFromJson({ usage: { input_tokens: 9, output_tokens: 1, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 4 } } })?.cacheWriteTokens,
    4,
  );
  assert.deepEqual(dialect('anthropic-messages').usageFromJson({ usage: { input_tokens: 4, output_tokens: 1 } }), {
    inputTokens: 4,
    outputTokens: 1,
    cacheReadTokens: null,
    cacheWriteTokens: null,
  });
});
