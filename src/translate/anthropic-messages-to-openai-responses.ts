/**
 * Anthropic client → OpenAI Responses target, for models served only on /v1/responses. Stop
 * sequences have no Responses counterpart and are dropped; the request is sent with `store: false`.
 */
import { anthropicClientCodec } from './anthropic-codec.js';
import { bridge } from './bridge.js';
import { responsesUpstreamCodec } from './responses-codec.js';
import type { TranslatorPair } from './types.js';

export const anthropicMessagesToOpenaiResponses: TranslatorPair = {
  from: 'anthropic-messages',
  to: 'openai-responses',
  create: () => bridge(anthropicClientCodec(), responsesUpstreamCodec()),
};
