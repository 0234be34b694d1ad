/**
 * OpenAI embeddings: deterministic unit vectors seeded by each input's text, `dimensions` honoured
 * (default 1536), `encoding_format: "base64"` as little-endian float32 bytes like the real API.
 */
import { createHash } from 'node:crypto';
import { tokensOf } from '../tokens.js';

const DEFAULT_DIMS = 1536;

export function vectorFor(input: unknown, dims: number): Float32Array {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  const out = new Float32Array(dims);
  let block = createHash('sha256').update(text).digest();
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const j = i % 16;
    if (i > 0 && j === 0) block = createHash('sha256').update(block).digest();
    // Two bytes per component → [-1, 1).
    const v = (block.readUInt16LE(j * 2) / 32768) - 1;
    out[i] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  for (let i = 0; i < dims; i++) out[i] *= scale;
  return out;
}

export function embeddingsJson(body: Record<string, unknown>, model: string): unknown {
  const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.floor(body.dimensions) : DEFAULT_DIMS;
  const raw = body.input;
  // A flat array of numbers is ONE tokenised input; an array of strings or of token arrays is many.
  const inputs: unknown[] = Array.isArray(raw) && !raw.every((x) => typeof x === 'number') ? raw : [raw];
  const base64 = body.encoding_format === 'base64';
  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += Array.isArray(input) ? input.length : tokensOf(String(input).length);
    const v = vectorFor(input, dims);
    const embedding = base64 ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v);
    return { object: 'embedding', index, embedding };
  });
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
