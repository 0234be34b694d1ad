/**
 * Picks the renderer for a dialect and builds the whole answer (status, headers, body or SSE frames)
 * for a validated request. Pure: the HTTP side (faults, pacing, sockets) is in server.ts.
 */
import type { DialectName } from '../../dialects/types.js';
import { buildAnswer } from './answer.js';
import { anthropicJson, anthropicStream } from './dialects/anthropic-messages.js';
import { chatJson, chatStream } from './dialects/openai-chat.js';
import { completionsJson, completionsStream } from './dialects/openai-completions.js';
import { embeddingsJson } from './dialects/openai-embeddings.js';
import { responsesJson, responsesStream } from './dialects/openai-responses.js';
import type { RenderContext, StreamPlan } from './dialects/render-types.js';
import { readRequest } from './request-view.js';
import { anthropicCountTokens, anthropicInputUsage, openaiInputUsage } from './tokens.js';
import type { ScriptedReply } from './types.js';

export type Rendered = { kind: 'json'; body: unknown } | { kind: 'stream'; plan: StreamPlan };

const RENDERERS: Partial<Record<DialectName, { json(ctx: RenderContext): unknown; stream(ctx: RenderContext): StreamPlan }>> = {
  'openai-chat': { json: chatJson, stream: chatStream },
  'openai-completions': { json: completionsJson, stream: completionsStream },
  'openai-responses': { json: responsesJson, stream: responsesStream },
  'anthropic-messages': { json: anthropicJson, stream: anthropicStream },
};

export function render(dialect: DialectName, body: Record<string, unknown>, model: string, script?: ScriptedReply): Rendered {
  if (dialect === 'openai-embeddings') return { kind: 'json', body: embeddingsJson(body, model) };
  if (dialect === 'anthropic-count-tokens') return { kind: 'json', body: { input_tokens: anthropicCountTokens(body) } };
  const view = readRequest(dialect, body, model);
  const inputUsage = dialect === 'anthropic-messages' ? anthropicInputUsage(body) : openaiInputUsage(dialect, body);
  const answer = buildAnswer({ view, inputUsage, script });
  const ctx: RenderContext = { answer, view, body, model, created: Math.floor(Date.now() / 1000) };
  const r = RENDERERS[dialect]!;
  return view.stream ? { kind: 'stream', plan: r.stream(ctx) } : { kind: 'json', body: r.json(ctx) };
}

export const DEMO_MODELS = ['kt-demo', 'gpt-demo', 'claude-demo', 'text-embedding-demo'];

export function modelsBody(anthropic: boolean): unknown {
  if (anthropic) {
    const data = DEMO_MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
    return { data, has_more: false, first_id: data[0].id, last_id: data[data.length - 1].id };
  }
  return { object: 'list', data: DEMO_MODELS.map((id) => ({ id, object: 'model', created: 1767225600, owned_by: 'kt-demo' })) };
}
