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
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        cleanup();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onAborted = () => onError(new Error('client aborted the request'));
    function cleanup() {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
