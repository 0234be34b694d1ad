/** OpenAI chat client → Responses-only model. Stop sequences are dropped (no Responses counterpart). */
import { bridge } from './bridge.js';
import { chatClientCodec } from './openai-chat-codec.js';
import { responsesUpstreamCodec } from './responses-codec.js';
import type { TranslatorPair } from './types.js';

export const openaiChatToOpenaiResponses: TranslatorPair = {
  from: 'openai-chat',
  to: 'openai-responses',
  create: () => bridge(chatClientCodec(), responsesUpstreamCodec()),
};
