/**
 * Responses client (Codex) → OpenAI chat target. Codex's `namespace` tools are flattened to
 * `<namespace>__<name>` and `custom` tools become one-string-parameter functions; both are mapped back
 * on the way out. Reasoning items (encrypted_content) are dropped; usage is always requested upstream.
 */
import { bridge } from './bridge.js';
import { chatUpstreamCodec } from './openai-chat-codec.js';
import { responsesClientCodec } from './responses-codec.js';
import type { TranslatorPair } from './types.js';

export const openaiResponsesToOpenaiChat: TranslatorPair = {
  from: 'openai-responses',
  to: 'openai-chat',
  create: (opts) => bridge(responsesClientCodec(), chatUpstreamCodec(opts)),
};
