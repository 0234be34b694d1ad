/** Reads a request body up to a limit; beyond it, a 413 error that names the limit and the setting. */
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors.js';

export function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    'KT_ERR_BODY_TOO_LARGE',
    `Request body is larger than the gateway limit of ${limit} bytes (${(limit / 1048576).toFixed(1)} MiB). Raise gateway.max_body_bytes in policy-config.yaml to accept it.`,
  );
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined; // most bodies arrive in one chunk: no array, no concat
    let chunks: Buffer[] | undefined;
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        reject(tooLarge(limit));
      } else if (first === undefined) first = c;
      else (chunks ??= [first]).push(c);
    };
    req.on('data', onData);
    // An aborted request emits 'error' (ECONNRESET); a settled promise ignores what comes after.
    req.once('error', reject);
    req.once('end', () => resolve(chunks ? Buffer.concat(chunks, size) : (first ?? Buffer.alloc(0))));
  });
}
