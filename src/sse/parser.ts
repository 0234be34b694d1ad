/**
 * The one SSE framer of the codebase (STYLE #8). Wraps `eventsource-parser`, which handles LF/CR/CRLF,
 * a BOM, comments and multi-line `data:`; adds streaming UTF-8 decoding and a maximum event size so a
 * broken upstream cannot make us buffer without bound. Translators, stream guards and usage folding
 * consume the parsed events and never split on "\n\n" themselves.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent {
  /** `event:` field; undefined when absent (OpenAI streams). */
  event?: string;
  data: string;
  id?: string;
}

export interface SseParserOptions {
  onEvent(ev: SseEvent): void;
  /** Called once when an event grows past maxEventBytes; the parser then ignores further input. */
  onError?(err: Error): void;
  /** Default 16 MiB. */
  maxEventBytes?: number;
}

export interface SseParser {
  feed(chunk: Uint8Array | string): void;
  /** Flush: a final event without its blank line is still delivered. */
  end(): void;
}

export function createSseParser(opts: SseParserOptions): SseParser {
  const max = opts.maxEventBytes ?? 16 * 1024 * 1024;
  const decoder = new TextDecoder('utf-8');
  let pending = 0; // chars fed since the last complete event
  let failed = false;
  let started = false; // a leading BOM is dropped once, as the SSE spec says
  const parser = createParser({
    onEvent(msg: EventSourceMessage) {
      pending = 0;
      opts.onEvent({ event: msg.event, data: msg.data, id: msg.id });
    },
  });
  const feedText = (text: string) => {
    if (failed || text.length === 0) return;
    if (!started) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    pending += text.length;
    if (pending > max) {
      failed = true;
      opts.onError?.(new Error(`SSE event larger than ${max} bytes`));
      return;
    }
    parser.feed(text);
  };
  let carry = false; // the decoder may hold the first bytes of a character split across chunks
  return {
    feed(chunk) {
      if (typeof chunk === 'string') return feedText(chunk);
      const n = chunk.length;
      if (n === 0) return;
      // A chunk ending in an ASCII byte (SSE chunks end in "\n") with nothing carried over decodes on
      // its own: Buffer's UTF-8 decoder is several times cheaper per call than a streaming TextDecoder.
      if (!carry && chunk[n - 1] < 0x80) {
        feedText(Buffer.from(chunk.buffer, chunk.byteOffset, n).toString('utf8'));
        return;
      }
      feedText(decoder.decode(chunk, { stream: true }));
      carry = chunk[n - 1] >= 0x80;
    },
    end() {
      feedText(decoder.decode());
      // An upstream that ends without the final blank line still meant its last event; after a
      // clean ending the extra blank lines dispatch nothing.
      if (!failed) parser.feed('\n\n');
    },
  };
}
