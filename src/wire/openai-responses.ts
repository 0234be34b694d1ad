/**
 * OpenAI Responses wire types (`POST /v1/responses`), JSON and SSE, as Codex CLI uses them. Types
 * only; the item and event unions stay open because the API keeps adding kinds.
 */

export interface ResponsesInputText {
  type: 'input_text';
  text: string;
}
export interface ResponsesInputImage {
  type: 'input_image';
  image_url?: string | null;
  file_id?: string | null;
  detail?: 'auto' | 'low' | 'high';
}
export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}
export type ResponsesContentPart = ResponsesInputText | ResponsesInputImage | ResponsesOutputText | { type: string; [k: string]: unknown };

export interface ResponsesMessageItem {
  type?: 'message';
  id?: string;
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: string | ResponsesContentPart[];
  status?: 'in_progress' | 'completed' | 'incomplete';
}
export interface ResponsesFunctionCallItem {
  type: 'function_call';
  id?: string;
  call_id: string;
  name: string;
  /** Set when the tool came from a `namespace` tool. */
  namespace?: string;
  arguments: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}
export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  id?: string;
  call_id: string;
  output: string | Array<ResponsesInputText | ResponsesInputImage | { type: string; [k: string]: unknown }>;
}
export interface ResponsesCustomToolCallItem {
  type: 'custom_tool_call';
  id?: string;
  call_id: string;
  name: string;
  input: string;
  namespace?: string;
}
export interface ResponsesCustomToolCallOutputItem {
  type: 'custom_tool_call_output';
  call_id: string;
  output: string | Array<{ type: string; [k: string]: unknown }>;
}
export interface ResponsesReasoningItem {
  type: 'reasoning';
  id: string;
  summary: Array<{ type: 'summary_text'; text: string }>;
  content?: Array<{ type: 'reasoning_text'; text: string }>;
  encrypted_content?: string | null;
}
export type ResponsesItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesCustomToolCallItem
  | ResponsesCustomToolCallOutputItem
  | ResponsesReasoningItem
  | { type: string; [k: string]: unknown };

export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}
export interface ResponsesCustomTool {
  type: 'custom';
  name: string;
  description?: string;
  format?: unknown;
}
export interface ResponsesNamespaceTool {
  type: 'namespace';
  name: string;
  description: string;
  tools: Array<ResponsesFunctionTool | ResponsesCustomTool>;
}
export type ResponsesTool = ResponsesFunctionTool | ResponsesCustomTool | ResponsesNamespaceTool | { type: string; [k: string]: unknown };

export type ResponsesToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; name: string } | { type: string; [k: string]: unknown };

export interface ResponsesRequest {
  model: string;
  input?: string | ResponsesItem[];
  instructions?: string | null;
  stream?: boolean;
  tools?: ResponsesTool[];
  tool_choice?: ResponsesToolChoice;
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  user?: string;
  safety_identifier?: string;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  include?: string[] | null;
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  text?: { format?: unknown; verbosity?: string } | null;
  prompt_cache_key?: string;
  previous_response_id?: string | null;
  [k: string]: unknown;
}

export interface ResponsesUsage {
  input_tokens: number;
  /** Omitted by kt when the upstream did not report cache reads. (marked edit: translate) */
  input_tokens_details?: { cached_tokens: number; cache_write_tokens?: number };
  output_tokens: number;
  /** Omitted by kt when the upstream did not report reasoning tokens. */
  output_tokens_details?: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponsesResponse {
  id: string;
  object: 'response';
  created_at: number;
  status: 'completed' | 'incomplete' | 'in_progress' | 'failed' | 'cancelled' | 'queued';
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  model: string;
  output: ResponsesItem[];
  usage: ResponsesUsage | null;
  [k: string]: unknown;
}

/** Every stream event carries `type` and a `sequence_number` that starts at 0 and increases by one. */
export type ResponsesStreamEvent =
  | { type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.incomplete' | 'response.failed'; sequence_number: number; response: ResponsesResponse }
  | { type: 'response.output_item.added' | 'response.output_item.done'; sequence_number: number; output_index: number; item: ResponsesItem }
  | { type: 'response.content_part.added' | 'response.content_part.done'; sequence_number: number; item_id: string; output_index: number; content_index: number; part: ResponsesContentPart }
  | { type: 'response.output_text.delta'; sequence_number: number; item_id: string; output_index: number; content_index: number; delta: string; logprobs: unknown[] }
  | { type: 'response.output_text.done'; sequence_number: number; item_id: string; output_index: number; content_index: number; text: string; logprobs: unknown[] }
  | { type: 'response.function_call_arguments.delta'; sequence_number: number; item_id: string; output_index: number; delta: string }
  | { type: 'response.function_call_arguments.done'; sequence_number: number; item_id: string; output_index: number; name?: string; arguments: string }
  | { type: 'response.reasoning_summary_text.delta'; sequence_number: number; item_id: string; output_index: number; summary_index: number; delta: string }
  | { type: 'error'; sequence_number: number; code: string | null; message: string; param: string | null };
