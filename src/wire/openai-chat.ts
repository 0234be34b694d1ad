/**
 * OpenAI Chat Completions wire types (`POST /v1/chat/completions`), JSON and SSE. Types only: the
 * subset kt reads or writes, with index signatures where providers add fields we pass along.
 */

export interface ChatTextPart {
  type: 'text';
  text: string;
  /** Not OpenAI's, but sent by clients that target Anthropic through OpenAI-compatible routers. */
  cache_control?: unknown;
}
export interface ChatImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}
export interface ChatRefusalPart {
  type: 'refusal';
  refusal: string;
}
export type ChatContentPart = ChatTextPart | ChatImagePart | ChatRefusalPart | { type: string; [k: string]: unknown };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  /** DeepSeek / vLLM / Ollama convention for reasoning text. */
  reasoning_content?: string | null;
  refusal?: string | null;
  [k: string]: unknown;
}

export interface ChatFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

export type ChatToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | { type: 'allowed_tools'; allowed_tools: { mode: 'auto' | 'required'; tools: unknown[] } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  tools?: Array<ChatFunctionTool | { type: string; [k: string]: unknown }>;
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  user?: string;
  safety_identifier?: string;
  metadata?: Record<string, string> | null;
  reasoning_effort?: string | null;
  response_format?: { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: unknown; strict?: boolean | null } };
  n?: number | null;
  [k: string]: unknown;
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; audio_tokens?: number } | null; // (marked edit: translate) cache_write_tokens
  completion_tokens_details?: { reasoning_tokens?: number; [k: string]: unknown } | null;
  /** kt extension (LiteLLM's spelling): prompt tokens written to a provider cache, when the upstream reports it. */
  cache_creation_input_tokens?: number;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; refusal?: string | null; tool_calls?: ChatToolCall[]; reasoning_content?: string | null };
    logprobs: null;
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: ChatUsage | null;
  system_fingerprint?: string | null;
}

export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string | null; reasoning_content?: string | null; reasoning?: string | null; refusal?: string | null; tool_calls?: ChatToolCallDelta[] };
    logprobs?: null;
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: ChatUsage | null;
}

/** Error envelope of every OpenAI endpoint (also what a stream carries as `data: {"error":…}`). */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param?: string | null; code?: string | number | null };
}
