/**
 * Composes a client codec and an upstream codec into a Translator (one instance per request; the
 * stream reader and writer it creates hold that request's stream state).
 */
import type { SseEvent } from '../sse/parser.js';
import type { ClientCodec, NRequest, NStreamReader, NStreamWriter, UpstreamCodec } from './neutral.js';
import type { Translator } from './types.js';

export interface BridgeOptions {
  /** A pair's own adjustment of the neutral request before the upstream body is built. */
  adjustRequest?(req: NRequest): void;
}

export function bridge(client: ClientCodec, upstream: UpstreamCodec, opts: BridgeOptions = {}): Translator {
  let reader: NStreamReader | undefined;
  let writer: NStreamWriter | undefined;
  const streamWriter = () => (writer ??= client.createStreamWriter());
  return {
    request(body) {
      const req = client.parseRequest(body);
      opts.adjustRequest?.(req);
      return { body: upstream.buildRequest(req), route: upstream.route };
    },
    response(body) {
      return client.renderResponse(upstream.parseResponse(body));
    },
    streamEvent(ev: SseEvent) {
      reader ??= upstream.createStreamReader();
      const w = streamWriter();
      return reader.read(ev).flatMap((e) => w.write(e));
    },
    streamEnd() {
      return streamWriter().end();
    },
    error(status, body) {
      return client.renderError(upstream.parseError(status, body));
    },
  };
}
