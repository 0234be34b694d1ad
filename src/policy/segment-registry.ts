/** Which segment extractor reads which client dialect. count_tokens carries a Messages conversation. */
import { anthropicMessagesSegments } from '../dialects/anthropic-messages/segments.js';
import { openaiChatSegments } from '../dialects/openai-chat/segments.js';
import { openaiCompletionsSegments } from '../dialects/openai-completions/segments.js';
import { openaiEmbeddingsSegments } from '../dialects/openai-embeddings/segments.js';
import { openaiResponsesSegments } from '../dialects/openai-responses/segments.js';
import { genericJsonSegments } from '../dialects/generic-json/segments.js'; // (marked edit: proxy)
import type { SegmentExtractor, SegmentRegistry } from '../dialects/segments.js';
import type { DialectName } from '../dialects/types.js';

export const SEGMENTS: SegmentRegistry = {
  'openai-chat': openaiChatSegments,
  'openai-responses': openaiResponsesSegments,
  'openai-completions': openaiCompletionsSegments,
  'openai-embeddings': openaiEmbeddingsSegments,
  'anthropic-messages': anthropicMessagesSegments,
  'anthropic-count-tokens': anthropicMessagesSegments,
  'generic-json': genericJsonSegments, // (marked edit: proxy) every string value of an unknown JSON body
};

export function segmentsFor(dialect: DialectName): SegmentExtractor {
  return SEGMENTS[dialect];
}
