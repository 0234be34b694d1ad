/**
 * `kt events tail --follow` from the running gateway: reads `GET /keeptrusts/events/stream` (SSE, one
 * `decision` event per stored event, `id:` its chain sequence number), with the access key in keys mode.
 * `connect` resolves once the gateway answered 200 (or rejects: no gateway, refused key), so the caller
 * can fall back to polling the store.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DecisionEvent } from '../event.js';
import { createSseParser } from '../../sse/parser.js';

export interface LiveEvent {
  seq: number;
  event: DecisionEvent;
}

export class GatewayRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LiveStream {
  /** Resolves when the stream ends (gateway stopped, or aborted). */
  done: Promise<void>;
}

/** Opens the stream; `onEvent` gets each event. Rejects with GatewayRefused (an answer other than 200) or a connection error. */
export function connectEventStream(baseUrl: string, key: string | undefined, onEvent: (e: LiveEvent) => void, signal: AbortSignal): Promise<LiveStream> {
  const url = new URL('/keeptrusts/events/stream', baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', headers: { accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) }, signal, timeout: 5_000 });
    req.once('timeout', () => req.destroy(new Error('the gateway did not answer within 5 s')));
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      req.setTimeout(0);
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c.length < 4000 ? c : ''));
        res.on('end', () => reject(new GatewayRefused(res.statusCode ?? 0, messageOf(body) ?? `HTTP ${res.statusCode}`)));
        return;
      }
      const parser = createSseParser({
        onEvent: (ev) => {
          if (ev.event !== 'decision') return;
          try {
            onEvent({ seq: Number(ev.id), event: JSON.parse(ev.data) as DecisionEvent });
          } catch {
            /* not an event */
          }
        },
      });
      const done = new Promise<void>((end) => {
        res.on('data', (c: Buffer) => parser.feed(c));
        res.once('end', () => end());
        res.once('error', () => end());
        res.once('close', () => end());
      });
      resolve({ done });
    });
    req.end();
  });
}

function messageOf(body: string): string | undefined {
  try {
    const j = JSON.parse(body) as { error?: { message?: string } };
    return j.error?.message;
  } catch {
    return body.trim().slice(0, 300) || undefined;
  }
}
