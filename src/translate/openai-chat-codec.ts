/** OpenAI chat as the client's dialect and as the upstream's, assembled from the helpers. */
import { isRecord } from './content-parts.js';
import { parseOpenAIError, renderOpenAIError } from './error-kinds.js';
import type { ClientCodec, UpstreamCodec } from './neutral.js';
import { buildChatRequest, CHAT_ROUTE, parseChatRequest, parseChatResponse, renderChatResponse, type ChatBuildOptions } from './openai-chat-helpers.js';
import { createChatStreamReader, createChatStreamWriter } from './openai-chat-stream.js';
import type { TranslateOptions } from './types.js';

export function chatClientCodec(): ClientCodec {
  const ctx = { model: '', includeUsage: false };
  return {
    parseRequest(body) {
      const req = parseChatRequest(body);
      ctx.model = req.model;
      ctx.includeUsage = isRecord(body) && isRecord(body.stream_options) && body.stream_options.include_usage === true;
      return req;
    },
    renderResponse: (res) => renderChatResponse(res, ctx.model),
    createStreamWriter: () => createChatStreamWriter(ctx),
    renderError: renderOpenAIError,
  };
}

export function chatBuildOptions(opts: TranslateOptions = {}): ChatBuildOptions {
  return { maxTokensField: opts.provider === 'openai' || opts.provider === 'azure-openai' ? 'max_completion_tokens' : 'max_tokens' };
}

export function chatUpstreamCodec(opts: TranslateOptions = {}): UpstreamCodec {
  const build = chatBuildOptions(opts);
  return {
    route: CHAT_ROUTE,
    buildRequest: (req) => buildChatRequest(req, build),
    parseResponse: parseChatResponse,
    createStreamReader: createChatStreamReader,
    parseError: parseOpenAIError,
  };
}
