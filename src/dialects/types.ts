/**
 * A dialect is one client wire format. This file is the contract between the gateway core, the
 * policy engine and the translators; it holds types only.
 */

export const DIALECTS = [
  'openai-chat',
  'openai-responses',
  'openai-completions',
  'openai-embeddings',
  'anthropic-messages',
  'anthropic-count-tokens',
  'generic-json', // (marked edit: proxy) JSON on an unknown path through the forward proxy: input strings scanned
] as const;
export type DialectName = (typeof DIALECTS)[number];

/** Wire format of a provider target (`providers.targets[].format`). */
export type TargetFormat = 'openai' | 'anthropic';

/** A JSON path into a parsed body: keys and array indexes, e.g. ['messages', 3, 'content', 0, 'text']. */
export type JsonPath = readonly (string | number)[];

/**
 * Where a piece of text sits in a conversation. Policies use it to decide what applies
 * (e.g. injection in a tool result is indirect; shell checks look at tool calls).
 */
export type SegmentRole =
  | 'system' // system / developer prompts, Anthropic `system`, Responses `instructions`
  | 'user'
  | 'assistant' // assistant text (history in requests, or the answer in responses)
  | 'tool_result' // Anthropic tool_result, OpenAI role:tool, Responses function_call_output
  | 'tool_call' // tool-call arguments (JSON text) in requests or responses
  | 'prompt' // legacy completions prompt / suffix
  | 'embedding'; // embeddings input

/** One string value in a body that policies scan. Editing replaces ranges of `text` at `path`. */
export interface Segment {
  path: JsonPath;
  /** Printable form of `path` for events: `messages[3].content[0].text`. */
  pointer: string;
  role: SegmentRole;
  text: string;
  /** Name of the tool for tool_call / tool_result segments, when known. */
  tool?: string;
  /** Index of the message/item that carries it, so findings can say which message. */
  messageIndex?: number;
}

/** Replace text[start, end) of the string at `path` with `replacement`. */
export interface TextEdit {
  path: JsonPath;
  start: number;
  end: number;
  replacement: string;
}
