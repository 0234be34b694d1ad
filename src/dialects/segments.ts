/**
 * Shared pieces of segment extraction: a collector that builds printable pointers, and walkers for the
 * shapes several dialects share (string-or-parts content, JSON objects whose string leaves are tool
 * arguments). Each dialect's own `segments.ts` says where content travels in its bodies.
 */
import type { DialectName, JsonPath, Segment, SegmentRole } from './types.js';

const KEY_FORMS = new Map<string, string>();

/** `.key`, or `["odd key"]` for keys that are not identifiers; memoised (bodies reuse a few keys). */
function keyForm(k: string): string {
  let f = KEY_FORMS.get(k);
  if (f === undefined) {
    f = /^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
    if (KEY_FORMS.size < 10_000) KEY_FORMS.set(k, f);
  }
  return f;
}

/** Printable form of a JSON path: `messages[3].content[0].text`. */
export function pointerOf(path: JsonPath): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : keyForm(k);
  return out[0] === '.' ? out.slice(1) : out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class SegmentCollector {
  readonly segments: Segment[] = [];

  add(path: JsonPath, role: SegmentRole, text: unknown, extra: { tool?: string; messageIndex?: number } = {}): void {
    if (typeof text !== 'string' || text.length === 0) return;
    const seg: Segment = { path, pointer: pointerOf(path), role, text };
    if (extra.tool !== undefined) seg.tool = extra.tool;
    if (extra.messageIndex !== undefined) seg.messageIndex = extra.messageIndex;
    this.segments.push(seg);
  }

  /**
   * Every string leaf of a JSON value (tool-call input objects, local shell commands). Keys are not
   * content; depth is bounded so a hostile body cannot recurse us out of stack.
   */
  addLeaves(path: JsonPath, role: SegmentRole, value: unknown, extra: { tool?: string; messageIndex?: number } = {}, depth = 0): void {
    if (depth > 64) return;
    if (typeof value === 'string') this.add(path, role, value, extra);
    else if (Array.isArray(value)) value.forEach((v, i) => this.addLeaves([...path, i], role, v, extra, depth + 1));
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) this.addLeaves([...path, k], role, v, extra, depth + 1);
  }

  /**
   * Content that is either a string or an array of parts. Text-bearing parts are `text`, `input_text`,
   * `output_text` (OpenAI), `text` blocks (Anthropic); images, audio and files carry no scannable text.
   */
  addContent(path: JsonPath, role: SegmentRole, content: unknown, extra: { tool?: string; messageIndex?: number } = {}): void {
    if (typeof content === 'string') {
      this.add(path, role, content, extra);
      return;
    }
    if (!Array.isArray(content)) return;
    content.forEach((part, i) => {
      if (typeof part === 'string') this.add([...path, i], role, part, extra);
      else if (isRecord(part) && typeof part.text === 'string') this.add([...path, i, 'text'], role, part.text, extra);
      else if (isRecord(part) && part.type === 'refusal' && typeof part.refusal === 'string')
        this.add([...path, i, 'refusal'], role, part.refusal, extra);
    });
  }
}

export interface SegmentExtractor {
  request(body: unknown): Segment[];
  response(body: unknown): Segment[];
}

export type SegmentRegistry = Record<DialectName, SegmentExtractor>;
