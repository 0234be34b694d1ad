/**
 * "json-strings": every string value of a JSON body, for protocols no dialect knows (Gemini's native
 * `:generateContent`, JetBrains AI Assistant's own API). Roles are unknown, so each string is a `user`
 * segment: every input policy applies. Object keys are not scanned (edits replace values only). The
 * walk is iterative, so nesting depth cannot hide a value or exhaust the stack. Answers are not read.
 */
import type { JsonPath, Segment } from '../types.js';
import { isRecord, SegmentCollector, type SegmentExtractor } from '../segments.js';

export function requestSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  const stack: [JsonPath, unknown][] = [[[], body]];
  while (stack.length) {
    const [path, v] = stack.pop()!;
    if (typeof v === 'string') c.add(path, 'user', v);
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push([[...path, i], v[i]]);
    else if (isRecord(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push([[...path, keys[i]], v[keys[i]]]);
    }
  }
  return c.segments;
}

export const genericJsonSegments: SegmentExtractor = { request: requestSegments, response: () => [] };
