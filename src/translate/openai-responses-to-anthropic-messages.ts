/**
 * Responses client (Codex) → Anthropic target. `instructions` and developer items become the top-level
 * system prompt (in order); function_call / function_call_output items become tool_use / tool_result.
 */
import { anthropicUpstreamCodec } from './anthropic-codec.js';
import { bridge } from './bridge.js';
import { responsesClientCodec } from './responses-codec.js';
import type { TranslatorPair } from './types.js';

export const openaiResponsesToAnthropicMessages: TranslatorPair = {
  from: 'openai-responses',
  to: 'anthropic-messages',
  create: () => bridge(responsesClientCodec(), anthropicUpstreamCodec()),
};
