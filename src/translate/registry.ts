/**
 * Which translator serves a (client dialect, target dialect) pair. Same-dialect traffic never gets
 * one: the gateway passes it through untouched. `undefined` means the pair is not supported; the
 * caller reports it with `unsupportedPairMessage`.
 */
import type { DialectName } from '../dialects/types.js';
import { anthropicMessagesToOpenaiChat } from './anthropic-messages-to-openai-chat.js';
import { anthropicMessagesToOpenaiResponses } from './anthropic-messages-to-openai-responses.js';
import { openaiChatToAnthropicMessages } from './openai-chat-to-anthropic-messages.js';
import { openaiChatToOpenaiResponses } from './openai-chat-to-openai-responses.js';
import { openaiCompletionsToAnthropicMessages } from './openai-completions-to-anthropic-messages.js';
import { openaiCompletionsToOpenaiChat } from './openai-completions-to-openai-chat.js';
import { openaiCompletionsToOpenaiResponses } from './openai-completions-to-openai-responses.js';
import { openaiResponsesToAnthropicMessages } from './openai-responses-to-anthropic-messages.js';
import { openaiResponsesToOpenaiChat } from './openai-responses-to-openai-chat.js';
import type { TranslateOptions, Translator, TranslatorPair } from './types.js';

const PAIRS: readonly TranslatorPair[] = [
  openaiChatToAnthropicMessages,
  anthropicMessagesToOpenaiChat,
  openaiResponsesToOpenaiChat,
  openaiResponsesToAnthropicMessages,
  anthropicMessagesToOpenaiResponses,
  openaiChatToOpenaiResponses,
  openaiCompletionsToOpenaiChat,
  openaiCompletionsToAnthropicMessages,
  openaiCompletionsToOpenaiResponses,
];

export function getTranslator(from: DialectName, to: DialectName, opts?: TranslateOptions): Translator | undefined {
  return PAIRS.find((p) => p.from === from && p.to === to)?.create(opts);
}

export function listPairs(): Array<{ from: DialectName; to: DialectName }> {
  return PAIRS.map(({ from, to }) => ({ from, to }));
}

export function unsupportedPairMessage(from: DialectName, to: DialectName): string {
  const targets = PAIRS.filter((p) => p.from === from).map((p) => p.to);
  return `kt cannot translate ${from} requests for a ${to} target` + (targets.length ? ` (supported targets for ${from}: ${targets.join(', ')})` : '');
}
