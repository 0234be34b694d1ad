/** Legacy completions / FIM client → Anthropic target (which has no completions endpoint for current models). */
import { anthropicUpstreamCodec } from './anthropic-codec.js';
import { bridge } from './bridge.js';
import { completionsClientCodec } from './completions-helpers.js';
import type { TranslatorPair } from './types.js';

export const openaiCompletionsToAnthropicMessages: TranslatorPair = {
  from: 'openai-completions',
  to: 'anthropic-messages',
  create: () => bridge(completionsClientCodec(), anthropicUpstreamCodec()),
};
