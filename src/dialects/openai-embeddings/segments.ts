/** Embeddings: `input` (string or list of strings; token arrays carry no text). Answers are vectors: nothing to scan. */
import type { Segment } from '../types.js';
import { isRecord, SegmentCollector, type SegmentExtractor } from '../segments.js';

export function requestSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (!isRecord(body)) return c.segments;
  if (typeof body.input === 'string') c.add(['input'], 'embedding', body.input);
  else if (Array.isArray(body.input)) body.input.forEach((p, i) => c.add(['input', i], 'embedding', p, { messageIndex: i }));
  return c.segments;
}

export function responseSegments(): Segment[] {
  return [];
}

export const openaiEmbeddingsSegments: SegmentExtractor = { request: requestSegments, response: responseSegments };
