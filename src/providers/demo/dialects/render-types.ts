/** What every demo dialect renderer takes and returns. Types only. */
import type { DemoAnswer } from '../answer.js';
import type { RequestView } from '../request-view.js';

export interface RenderContext {
  answer: DemoAnswer;
  view: RequestView;
  /** The parsed request body (Responses echoes some of it). */
  body: Record<string, unknown>;
  model: string;
  /** Unix seconds. */
  created: number;
}

/** A stream as separate SSE frames; the last `closing` frames are the dialect's closing events. */
export interface StreamPlan {
  frames: string[];
  closing: number;
}
