/** Legacy completions / FIM client → chat-only target (e.g. a chat model behind an OpenAI-compatible server). */
import { bridge } from './bridge.js';
import { completionsClientCodec } from './completions-helpers.js';
import { chatUpstreamCodec } from './openai-chat-codec.js';
import type { TranslatorPair } from './types.js';

export const openaiCompletionsToOpenaiChat: TranslatorPair = {
  from: 'openai-completions',
  to: 'openai-chat',
  create: (opts) => bridge(completionsClientCodec(), chatUpstreamCodec(opts)),
};
