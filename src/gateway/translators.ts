/**
 * Finds a translator when a target cannot take the client's dialect natively: the first dialect the
 * target takes, in the order below (chat before Responses for OpenAI-format targets, messages for
 * Anthropic). What a target takes is its provider's default or its `endpoints:` list, so
 * `endpoints: [responses]` is what sends chat, Messages and completions clients to the Responses
 * translators. Same-dialect traffic never comes here: it is passed through.
 */
import type { DialectName } from '../dialects/types.js';
import type { ResolvedTarget } from '../providers/types.js';
import { getTranslator, unsupportedPairMessage } from '../translate/registry.js';
import type { Translator } from '../translate/types.js';

const PREFERRED: Record<'openai' | 'anthropic', DialectName[]> = {
  openai: ['openai-chat', 'openai-responses', 'openai-completions', 'openai-embeddings'],
  anthropic: ['anthropic-messages', 'anthropic-count-tokens'],
};

export interface FoundTranslator {
  to: DialectName;
  translator: Translator;
}

export function findTranslator(from: DialectName, target: ResolvedTarget): FoundTranslator | undefined {
  for (const to of PREFERRED[target.format]) {
    if (!target.accepts.has(to)) continue;
    const translator = getTranslator(from, to, { provider: target.provider });
    if (translator) return { to, translator };
  }
  return undefined;
}

/** Why no translator serves: names the pair, and what the client dialect can be translated to. */
export function noTranslatorMessage(from: DialectName, target: ResolvedTarget): string {
  const natural = PREFERRED[target.format].find((d) => target.accepts.has(d)) ?? PREFERRED[target.format][0];
  return unsupportedPairMessage(from, natural);
}
