/** Anthropic Messages as the client's dialect and as the upstream's, assembled from the helpers. */
import { ANTHROPIC_ROUTE, buildAnthropicRequest, parseAnthropicRequest, parseAnthropicResponse, renderAnthropicResponse } from './anthropic-helpers.js';
import { createAnthropicStreamReader, createAnthropicStreamWriter } from './anthropic-stream.js';
import { parseAnthropicError, renderAnthropicError } from './error-kinds.js';
import type { ClientCodec, UpstreamCodec } from './neutral.js';

export function anthropicClientCodec(): ClientCodec {
  const ctx = { model: '' };
  return {
    parseRequest(body) {
      const req = parseAnthropicRequest(body);
      ctx.model = req.model;
      return req;
    },
    renderResponse: (res) => renderAnthropicResponse(res, ctx.model),
    createStreamWriter: () => createAnthropicStreamWriter(ctx),
    renderError: renderAnthropicError,
  };
}

export function anthropicUpstreamCodec(): UpstreamCodec {
  return {
    route: ANTHROPIC_ROUTE,
    buildRequest: (req) => buildAnthropicRequest(req) as unknown as Record<string, unknown>,
    parseResponse: parseAnthropicResponse,
    createStreamReader: createAnthropicStreamReader,
    parseError: parseAnthropicError,
  };
}
