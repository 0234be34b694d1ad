/**
 * Writing gateway-made answers: JSON bodies and errors in the client's dialect. Every answer carries
 * `x-request-id`; a refusal the client must not retry carries `x-should-retry: false`, which Claude
 * Code and the official SDKs honour (CLIENTS.md).
 */
import type { ServerResponse } from 'node:http';
import type { Dialect } from '../dialects/dialect.js';
import { formatSse } from '../sse/writer.js';
import type { GatewayError } from '../errors.js';
import { openaiErrorBody } from '../dialects/openai-envelope.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

export function errorHeaders(err: GatewayError): Record<string, string> {
  return { ...(err.retryable ? {} : { 'x-should-retry': 'false' }), ...(err.extra.headers ?? {}) };
}

/** An error as the whole response, or — once a stream has started — as its closing error event. */
export function sendError(res: ServerResponse, d: Dialect | undefined, err: GatewayError, requestId: string): void {
  if (res.destroyed) return;
  if (res.headersSent) {
    if (!res.writableEnded) {
      const events = d ? d.streamError(err, requestId) : [];
      res.end(events.map(formatSse).join(''));
    }
    return;
  }
  sendJson(res, err.status, d ? d.errorBody(err, requestId) : openaiErrorBody(err, requestId), errorHeaders(err));
}
