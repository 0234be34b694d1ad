/** Keeps src/errors.ts and docs/errors.md in sync: same codes, statuses, retry flags, descriptions. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERRORS } from './errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map<string, { status: number; retry: boolean; description: string }>();
for (const m of doc.matchAll(/^\| `(KT_ERR_[A-Z_]+)` \| (\d{3}) \| (yes|no) \| ([^|]+) \|/gm)) {
  rows.set(m[1], { status: Number(m[2]), retry: m[3] === 'yes', description: m[4].trim() });
}

test('every code in src/errors.ts has a row in docs/errors.md, and no row lacks a code', () => {
  assert.deepEqual([...rows.keys()].sort(), Object.keys(ERRORS).sort());
});

test('status, retry flag and description agree', () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    const row = rows.get(code)!;
    assert.equal(row.status, spec.status, code);
    assert.equal(row.retry, spec.retryable, code);
    assert.equal(row.description, spec.description, code);
  }
});

test('blocks and refusals never use a status clients retry or read as a login failure', () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    if (spec.retryable) continue;
    // Answered only to non-API traffic through the forward proxy (any HTTP client, not an assistant).
    if (code === 'KT_ERR_PROXY_DENIED') continue;
    assert.ok(![403, 409, 429].includes(spec.status), `${code} uses ${spec.status}`);
    // Clients retry 5xx whatever x-should-retry says (Codex), so a refusal never uses one.
    assert.ok(spec.status < 500, `${code} is not retryable but uses ${spec.status}`);
  }
});
