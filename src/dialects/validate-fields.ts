/** Small shape checks shared by the dialects; each returns a message naming the field, or undefined. */
import { isObject } from './dialect.js';

type Check = (body: Record<string, unknown>) => string | undefined;

export function requireObject(body: unknown): string | undefined {
  return isObject(body) ? undefined : 'the request body must be a JSON object';
}

export const stringField =
  (name: string, required = true): Check =>
  (b) => {
    const v = b[name];
    if (v === undefined || v === null) return required ? `\`${name}\` is required (a string)` : undefined;
    return typeof v === 'string' ? undefined : `\`${name}\` must be a string, got ${typeName(v)}`;
  };

export const arrayField =
  (name: string, required = true): Check =>
  (b) => {
    const v = b[name];
    if (v === undefined || v === null) return required ? `\`${name}\` is required (an array)` : undefined;
    return Array.isArray(v) ? undefined : `\`${name}\` must be an array, got ${typeName(v)}`;
  };

export const booleanField =
  (name: string): Check =>
  (b) => {
    const v = b[name];
    return v === undefined || v === null || typeof v === 'boolean' ? undefined : `\`${name}\` must be a boolean, got ${typeName(v)}`;
  };

export const numberField =
  (name: string): Check =>
  (b) => {
    const v = b[name];
    return v === undefined || v === null || typeof v === 'number' ? undefined : `\`${name}\` must be a number, got ${typeName(v)}`;
  };

/** `prompt` / `input`: a string, or an array (of strings, token ids or items). */
export const textOrArrayField =
  (name: string, required = true): Check =>
  (b) => {
    const v = b[name];
    if (v === undefined || v === null) return required ? `\`${name}\` is required (a string or an array)` : undefined;
    return typeof v === 'string' || Array.isArray(v) ? undefined : `\`${name}\` must be a string or an array, got ${typeName(v)}`;
  };

/** `messages[i]` must be objects with a string `role`. */
export const messageList =
  (name: string): Check =>
  (b) => {
    const list = b[name];
    if (!Array.isArray(list)) return undefined;
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      if (!isObject(m)) return `\`${name}[${i}]\` must be an object, got ${typeName(m)}`;
      if (typeof m.role !== 'string') return `\`${name}[${i}].role\` is required (a string)`;
    }
    return undefined;
  };

export function runChecks(body: unknown, checks: Check[]): string | undefined {
  const notObject = requireObject(body);
  if (notObject) return notObject;
  for (const c of checks) {
    const msg = c(body as Record<string, unknown>);
    if (msg) return msg;
  }
  return undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
