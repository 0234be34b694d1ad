/**
 * Finds a translator when a target cannot take the client's dialect natively. Prefers the target's
 * natural dialect for its format (chat for OpenAI-format targets, messages for Anthropic-format ones).
 * The translate registry is loaded on first need, so same-dialect traffic never pays for it.
 */
import type { DialectName } from '../dialects/types.js';
import type { ResolvedTarget } from '../providers/types.js';
import type { Translator } from '../translate/types.js';

type GetTranslator = (from: DialectName, to: DialectName) => Translator | undefined;

let registry: Promise<GetTranslator | undefined> | undefined;

function loadRegistry(): Promise<GetTranslator | undefined> {
  // Computed specifier: the translate module may be absent in a partial checkout; then nothing translates.
  const spec = '../translate/registry.js';
  registry ??= import(spec).then(
    (m: { getTranslator?: GetTranslator }) => m.getTranslator,
    () => undefined,
  );
  return registry;
}

const PREFERRED: Record<'openai' | 'anthropic', DialectName[]> = {
  openai: ['openai-chat', 'openai-responses', 'openai-completions', 'openai-embeddings'],
  anthropic: ['anthropic-messages', 'anthropic-count-tokens'],
};

export interface FoundTranslator {
  to: DialectName;
  translator: Translator;
}

export async function findTranslator(from: DialectName, target: ResolvedTarget): Promise<FoundTranslator | undefined> {
  const get = await loadRegistry();
  if (!get) return undefined;
  for (const to of PREFERRED[target.format]) {
    if (!target.accepts.has(to)) continue;
    const translator = get(from, to);
    if (translator) return { to, translator };
  }
  return undefined;
}
