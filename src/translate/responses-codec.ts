/** OpenAI Responses as the client's dialect and as the upstream's, assembled from the helpers. */
import { parseOpenAIError, renderOpenAIError } from './error-kinds.js';
import type { ClientCodec, UpstreamCodec } from './neutral.js';
import { buildResponsesRequest, parseResponsesRequest, RESPONSES_ROUTE } from './responses-helpers.js';
import { echoFields, parseResponsesResponse, renderResponsesResponse, type ResponsesEcho } from './responses-output.js';
import { createResponsesStreamReader, createResponsesStreamWriter } from './responses-stream.js';

export function responsesClientCodec(): ClientCodec {
  const echo: ResponsesEcho = { model: '', tools: new Map(), fields: {} };
  return {
    parseRequest(body) {
      const { req, tools } = parseResponsesRequest(body);
      echo.model = req.model;
      echo.tools = tools;
      echo.fields = echoFields(body);
      return req;
    },
    renderResponse: (res) => renderResponsesResponse(res, echo),
    createStreamWriter: () => createResponsesStreamWriter(echo),
    // HTTP errors on /v1/responses use the same envelope as every OpenAI endpoint.
    renderError: renderOpenAIError,
  };
}

export function responsesUpstreamCodec(): UpstreamCodec {
  return {
    route: RESPONSES_ROUTE,
    buildRequest: (req) => buildResponsesRequest(req) as unknown as Record<string, unknown>,
    parseResponse: parseResponsesResponse,
    createStreamReader: createResponsesStreamReader,
    parseError: parseOpenAIError,
  };
}
