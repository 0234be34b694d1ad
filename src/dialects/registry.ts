/** Dialect by name, and the API routes that select them (with and without the `/v1` prefix). */
import type { Dialect } from './dialect.js';
import type { DialectName } from './types.js';
import { anthropicCountTokens, anthropicMessages } from './anthropic-messages/dialect.js';
import { openaiChat } from './openai-chat/dialect.js';
import { openaiCompletions } from './openai-completions/dialect.js';
import { openaiEmbeddings } from './openai-embeddings/dialect.js';
import { openaiResponses } from './openai-responses/dialect.js';

const ALL: Dialect[] = [openaiChat, openaiResponses, openaiCompletions, openaiEmbeddings, anthropicMessages, anthropicCountTokens];

const BY_NAME = new Map<DialectName, Dialect>(ALL.map((d) => [d.name, d]));
const BY_PATH = new Map<string, Dialect>();
for (const d of ALL) {
  BY_PATH.set(`/v1${d.path}`, d);
  BY_PATH.set(d.path, d);
}

export function dialect(name: DialectName): Dialect {
  const d = BY_NAME.get(name);
  if (!d) throw new Error(`unknown dialect ${name}`);
  return d;
}

/** The dialect served at a request path (query already removed, trailing slash ignored). */
export function dialectForPath(path: string): Dialect | undefined {
  return BY_PATH.get(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
}

export function allDialects(): readonly Dialect[] {
  return ALL;
}
