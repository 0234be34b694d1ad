/**
 * Legacy completions / FIM client → Responses-only model (`endpoints: [responses]`). Stop sequences
 * are dropped (no Responses counterpart); the FIM framing is the same as for chat targets.
 */
import { bridge } from './bridge.js';
import { completionsClientCodec } from './completions-helpers.js';
import { responsesUpstreamCodec } from './responses-codec.js';
import type { TranslatorPair } from './types.js';

export const openaiCompletionsToOpenaiResponses: TranslatorPair = {
  from: 'openai-completions',
  to: 'openai-responses',
  create: () => bridge(completionsClientCodec(), responsesUpstreamCodec()),
};
