/** The two request fields every dialect shares: `model` and `stream`. */
import { isObject } from './dialect.js';

export function readModel(body: unknown): string | undefined {
  return isObject(body) && typeof body.model === 'string' ? body.model : undefined;
}

export function readStream(body: unknown): boolean {
  return isObject(body) && body.stream === true;
}
