import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripAddedUsage, usageOnlyChunk, withStreamUsage } from './stream-usage.js';

test('the option is spliced after the opening brace, leading whitespace kept out', () => {
  const raw = Buffer.from('  \n{"model":"m","messages":[],"stream":true}');
  assert.equal(withStreamUsage(raw, JSON.parse(raw.toString())).toString(), '{"stream_options":{"include_usage":true},"model":"m","messages":[],"stream":true}');
});

test('a body with stream_options (or an edited one) is re-serialised with the option merged', () => {
  const body = { model: 'm', stream_options: { include_obfuscation: false } };
  assert.deepEqual(JSON.parse(String(withStreamUsage(Buffer.from(JSON.stringify(body)), body))).stream_options, { include_obfuscation: false, include_usage: true });
  assert.deepEqual(JSON.parse(String(withStreamUsage(undefined, { model: 'x' }))), { model: 'x', stream_options: { include_usage: true } });
});

test('the usage-only chunk is folded and dropped; spacing variants are recognised', () => {
  for (const data of [
    '{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}',
    '{"id": "c", "choices": [ ], "usage": {"prompt_tokens": 3, "completion_tokens": 4}}',
  ]) {
    const folded: unknown[] = [];
    assert.equal(stripAddedUsage({ data }, (c) => folded.push(c)), undefined);
    assert.deepEqual(folded, [{ usage: { prompt_tokens: 3, completion_tokens: 4 } }]);
  }
});

test('other chunks lose only the added usage:null; Azure-style first chunks and [DONE] pass', () => {
  const fold = () => assert.fail('nothing to fold');
  assert.equal(stripAddedUsage({ data: '{"id":"c","choices":[{"delta":{"content":"\\"usage\\":null"}}],"usage":null}' }, fold)!.data, '{"id":"c","choices":[{"delta":{"content":"\\"usage\\":null"}}]}');
  assert.equal(stripAddedUsage({ data: '{"usage":null,"choices":[{"delta":{}}]}' }, fold)!.data, '{"choices":[{"delta":{}}]}');
  const azure = '{"choices":[],"prompt_filter_results":[{"prompt_index":0}]}';
  assert.equal(stripAddedUsage({ data: azure }, fold)!.data, azure);
  assert.equal(stripAddedUsage({ data: '[DONE]' }, fold)!.data, '[DONE]');
  assert.equal(usageOnlyChunk({ data: '{"choices":[],"usage":null}' }), undefined);
});
