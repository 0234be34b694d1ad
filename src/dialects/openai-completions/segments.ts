/** Legacy completions: `prompt` (string or list of strings; token arrays carry no text) and `suffix`; answers in `choices[].text`. */
import type { Segment } from '../types.js';
import { isRecord, SegmentCollector, type SegmentExtractor } from '../segments.js';

export function requestSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (!isRecord(body)) return c.segments;
  if (typeof body.prompt === 'string') c.add(['prompt'], 'prompt', body.prompt);
  else if (Array.isArray(body.prompt)) body.prompt.forEach((p, i) => c.add(['prompt', i], 'prompt', p, { messageIndex: i }));
  c.add(['suffix'], 'prompt', body.suffix);
  return c.segments;
}

export function responseSegments(body: unknown): Segment[] {
  const c = new SegmentCollector();
  if (isRecord(body) && Array.isArray(body.choices))
    body.choices.forEach((ch, i) => {
      if (isRecord(ch)) c.add(['choices', i, 'text'], 'assistant', ch.text, { messageIndex: i });
    });
  return c.segments;
}

export const openaiCompletionsSegments: SegmentExtractor = { request: requestSegments, response: responseSegments };
