/**
 * Anthropic client (Claude Code) → OpenAI chat target (OpenAI, or a local OpenAI-compatible model).
 * The upstream request always asks for `stream_options.include_usage` so message_delta can carry the
 * real usage; thinking blocks are dropped (signed by Anthropic, meaningless elsewhere).
 */
import { anthropicClientCodec } from './anthropic-codec.js';
import { bridge } from './bridge.js';
import { chatUpstreamCodec } from './openai-chat-codec.js';
import type { TranslatorPair } from './types.js';

export const anthropicMessagesToOpenaiChat: TranslatorPair = {
  from: 'anthropic-messages',
  to: 'openai-chat',
  create: (opts) => bridge(anthropicClientCodec(), chatUpstreamCodec(opts)),
};
