/**
 * A byte-for-byte CONNECT tunnel to a host kt does not intercept, and the record kept of every
 * proxied connection: host, port, bytes each way and duration — never content.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface TunnelRecord {
  host: string;
  port: number;
  /** `tunnel`: bytes relayed untouched; `intercepted`: TLS terminated and governed; `http`: plain absolute-form relay; `denied`: refused. */
  kind: 'tunnel' | 'intercepted' | 'http' | 'denied';
  /** Bytes from the client after the CONNECT (TLS records included). */
  bytesUp: number;
  /** Bytes to the client after the proxy's `200` line. */
  bytesDown: number;
  durationMs: number;
  error?: string;
}

const ESTABLISHED = 'HTTP/1.1 200 Connection Established\r\n\r\n';

/** Byte counters of the client's TCP socket (a Duplex handed over by node:http is a net.Socket). */
export function socketCounters(s: Duplex): { read: number; written: number } {
  const n = s as Partial<Socket>;
  return { read: n.bytesRead ?? 0, written: n.bytesWritten ?? 0 };
}

/** Answers 200 to the CONNECT once the upstream socket is open, then pipes both ways until either side ends. */
export function openTunnel(client: Duplex, head: Buffer, host: string, port: number, sockets: Set<Duplex>, record: (r: TunnelRecord) => void): void {
  const start = Date.now();
  const base = socketCounters(client);
  const upstream: Socket = connect({ host, port });
  sockets.add(upstream);
  let error: string | undefined;
  let established = false;
  let sentHead = 0;
  upstream.once('connect', () => {
    established = true;
    client.write(ESTABLISHED);
    if (head.length) {
      sentHead = head.length;
      upstream.write(head);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  upstream.on('error', (err: NodeJS.ErrnoException) => {
    error = err.code ?? err.message;
    if (!established && client.writable) {
      const body = `kt cannot reach ${host}:${port} (${error}).\n`;
      client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    } else client.destroy();
  });
  client.on('error', () => upstream.destroy());
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    upstream.destroy();
    sockets.delete(upstream);
    const c = socketCounters(client);
    record({
      host,
      port,
      kind: 'tunnel',
      bytesUp: c.read - base.read + sentHead,
      bytesDown: Math.max(0, c.written - base.written - (established ? ESTABLISHED.length : 0)),
      durationMs: Date.now() - start,
      error,
    });
  };
  upstream.on('close', () => client.destroy());
  client.once('close', finish);
}
