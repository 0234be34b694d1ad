/**
 * OpenAI chat client → Anthropic target. Usage comes from message_start + message_delta; the chat
 * client gets its usage chunk only if it asked (`stream_options.include_usage`), then `[DONE]`.
 */
import { anthropicUpstreamCodec } from './anthropic-codec.js';
import { bridge } from './bridge.js';
import { chatClientCodec } from './openai-chat-codec.js';
import type { TranslatorPair } from './types.js';

export const openaiChatToAnthropicMessages: TranslatorPair = {
  from: 'openai-chat',
  to: 'anthropic-messages',
  create: () => bridge(chatClientCodec(), anthropicUpstreamCodec()),
};
