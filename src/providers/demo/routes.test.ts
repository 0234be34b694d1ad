import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRoute } from './routes.js';

describe('matchRoute', () => {
  it('maps /v1 and bare paths, ignores the query, knows Azure and models', () => {
    assert.deepEqual(matchRoute('POST', '/v1/messages?beta=true'), { kind: 'api', dialect: 'anthropic-messages' });
    assert.deepEqual(matchRoute('POST', '/messages/count_tokens'), { kind: 'api', dialect: 'anthropic-count-tokens' });
    assert.deepEqual(matchRoute('POST', '/chat/completions'), { kind: 'api', dialect: 'openai-chat' });
    assert.deepEqual(matchRoute('POST', '/openai/deployments/gpt%204o/responses?api-version=x'), { kind: 'api', dialect: 'openai-responses', deployment: 'gpt 4o' });
    assert.deepEqual(matchRoute('GET', '/v1/models'), { kind: 'models' });
    assert.deepEqual(matchRoute('HEAD', '/'), { kind: 'root' });
    assert.deepEqual(matchRoute('GET', '/v1/chat/completions'), { kind: 'not-found' });
    assert.deepEqual(matchRoute('POST', '/v2/chat/completions'), { kind: 'not-found' });
  });
});
