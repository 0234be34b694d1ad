/** Ids for objects kt has to invent when the upstream dialect has no equivalent (item ids, message ids). */
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
