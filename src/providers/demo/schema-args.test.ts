import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argumentsFor, valueFor } from './schema-args.js';

describe('argumentsFor', () => {
  it('fills required properties only, with plausible values by name, format and type', () => {
    const schema = {
      type: 'object',
      properties: {
        file_path: { type: 'string' },
        url: { type: 'string', format: 'uri' },
        count: { type: 'integer', minimum: 5 },
        ratio: { type: 'number' },
        force: { type: 'boolean' },
        mode: { type: 'string', enum: ['a', 'b'] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        nested: { type: 'object', properties: { command: { type: 'string' }, skip: { type: 'string' } }, required: ['command'] },
        maybe: { anyOf: [{ type: 'null' }, { type: 'string', const: 'x' }] },
        optional: { type: 'string' },
      },
      required: ['file_path', 'url', 'count', 'ratio', 'force', 'mode', 'tags', 'nested', 'maybe'],
    };
    assert.deepEqual(JSON.parse(argumentsFor(schema)), {
      file_path: 'README.md',
      url: 'https://example.com',
      count: 5,
      ratio: 1,
      force: true,
      mode: 'a',
      tags: ['demo', 'demo'],
      nested: { command: 'ls' },
      maybe: 'x',
    });
  });

  it('copes with missing or odd schemas', () => {
    assert.equal(argumentsFor(undefined), '{}');
    assert.equal(argumentsFor({ type: 'object' }), '{}');
    assert.equal(valueFor({ type: ['null', 'integer'] }), 1);
    // Deep recursion stops instead of overflowing.
    const loop: Record<string, unknown> = { type: 'object', required: ['a'], properties: {} };
    (loop.properties as Record<string, unknown>).a = loop;
    assert.doesNotThrow(() => argumentsFor(loop));
  });
});
