/** Legacy OpenAI Completions wire types (`POST /v1/completions`, incl. FIM `suffix`). Types only. */
import type { ChatUsage } from './openai-chat.js';

export interface CompletionRequest {
  model: string;
  prompt: string | string[] | number[] | number[][];
  suffix?: string | null;
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  n?: number | null;
  echo?: boolean | null;
  user?: string;
  [k: string]: unknown;
}

export interface CompletionChoice {
  text: string;
  index: number;
  logprobs: null;
  finish_reason: 'stop' | 'length' | 'content_filter' | null;
}

/** Both the JSON response and each stream chunk use this shape (`object: "text_completion"`). */
export interface Completion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: ChatUsage | null;
}
