/**
 * The 400s the real providers give for a body without its required fields, with their wording, so
 * gateway tests see the same failures they would see upstream.
 */
import type { DialectName } from '../../dialects/types.js';

export interface ValidationFailure {
  message: string;
  param: string | null;
}

type Obj = Record<string, unknown>;

const REQUIRED: Record<DialectName, { field: string; ok: (v: unknown) => boolean }[]> = {
  'openai-chat': [{ field: 'messages', ok: (v) => Array.isArray(v) && v.length > 0 }],
  'openai-responses': [{ field: 'input', ok: (v) => typeof v === 'string' || Array.isArray(v) }],
  'openai-completions': [{ field: 'prompt', ok: (v) => typeof v === 'string' || Array.isArray(v) }],
  'openai-embeddings': [{ field: 'input', ok: (v) => (typeof v === 'string' && v.length > 0) || (Array.isArray(v) && v.length > 0) }],
  'anthropic-messages': [
    { field: 'messages', ok: (v) => Array.isArray(v) },
    { field: 'max_tokens', ok: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 },
  ],
  'anthropic-count-tokens': [{ field: 'messages', ok: (v) => Array.isArray(v) }],
  'generic-json': [], // (marked edit: proxy) not a demo route; listed so the table stays total
};

export function validateBody(dialect: DialectName, body: Obj, hasDeployment: boolean): ValidationFailure | undefined {
  const anthropic = dialect.startsWith('anthropic');
  if (!hasDeployment && (typeof body.model !== 'string' || body.model.length === 0)) {
    return anthropic
      ? { message: 'model: Field required', param: 'model' }
      : { message: 'you must provide a model parameter', param: 'model' };
  }
  for (const { field, ok } of REQUIRED[dialect]) {
    if (ok(body[field])) continue;
    if (anthropic) return { message: `${field}: ${body[field] === undefined ? 'Field required' : 'Input should be valid'}`, param: field };
    return {
      message: body[field] === undefined ? `Missing required parameter: '${field}'.` : `Invalid value for '${field}'.`,
      param: field,
    };
  }
  // OpenAI refuses a tool_choice with no tools (translators must drop it); the wording is the API's.
  if (dialect === 'openai-chat' && body.tool_choice !== undefined && body.tools === undefined) {
    return { message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", param: 'tool_choice' };
  }
  return undefined;
}
