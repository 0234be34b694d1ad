/** Conversions of content pieces that more than one dialect needs: images, tool arguments, text joins. */
import type { NImage, NText, NToolResult } from './neutral.js';

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export function imageFromUrl(url: string, detail?: string): NImage {
  const m = DATA_URL.exec(url);
  const source: NImage['source'] = m ? { kind: 'base64', mediaType: m[1], data: m[2] } : { kind: 'url', url };
  return detail ? { type: 'image', source, detail } : { type: 'image', source };
}

export function imageToUrl(img: NImage): string {
  return img.source.kind === 'url' ? img.source.url : `data:${img.source.mediaType};base64,${img.source.data}`;
}

/**
 * Tool arguments arrive as JSON text on the OpenAI side and as an object on the Anthropic side.
 * Anthropic requires an object, so anything else (empty, invalid, an array) becomes `{}`; the model
 * produced it, and a client would fail on it either way.
 */
export function argumentsToObject(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(args);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function textOf(parts: ReadonlyArray<{ type: string; text?: string }>, sep = ''): string {
  return parts
    .filter((p): p is NText => p.type === 'text')
    .map((p) => p.text)
    .join(sep);
}

/** Tool-result content as plain text (for dialects whose tool results carry text only). */
export function toolResultText(r: NToolResult): string {
  return typeof r.content === 'string' ? r.content : textOf(r.content, '\n');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
