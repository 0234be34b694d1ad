/** Adds a disclaimer to a buffered answer in the client's dialect, as assistant text the client shows. */
import { isRecord } from '../dialects/segments.js';
import type { DialectName } from '../dialects/types.js';

const SEP = '\n\n';

function join(text: string, notice: string, position: 'append' | 'prepend'): string {
  return position === 'append' ? text + SEP + notice : notice + SEP + text;
}

/** Returns a new body with the notice, or the same body when the answer has no text to attach it to. */
export function addNotice(dialect: DialectName, body: unknown, notice: string, position: 'append' | 'prepend'): unknown {
  if (!isRecord(body)) return body;
  switch (dialect) {
    case 'openai-chat': {
      if (!Array.isArray(body.choices)) return body;
      const choices = body.choices.map((c) => {
        if (!isRecord(c) || !isRecord(c.message) || typeof c.message.content !== 'string') return c;
        return { ...c, message: { ...c.message, content: join(c.message.content, notice, position) } };
      });
      return { ...body, choices };
    }
    case 'openai-completions': {
      if (!Array.isArray(body.choices)) return body;
      return { ...body, choices: body.choices.map((c) => (isRecord(c) && typeof c.text === 'string' ? { ...c, text: join(c.text, notice, position) } : c)) };
    }
    case 'anthropic-messages': {
      if (!Array.isArray(body.content)) return body;
      const block = { type: 'text', text: notice };
      return { ...body, content: position === 'append' ? [...body.content, block] : [block, ...body.content] };
    }
    case 'openai-responses': {
      if (!Array.isArray(body.output)) return body;
      const output = body.output.slice();
      const idxs = output.map((it, i) => (isRecord(it) && it.type === 'message' && Array.isArray(it.content) ? i : -1)).filter((i) => i >= 0);
      const i = position === 'append' ? idxs[idxs.length - 1] : idxs[0];
      if (i === undefined) return body;
      const item = output[i] as Record<string, unknown>;
      const content = (item.content as unknown[]).slice();
      const pi = position === 'append' ? content.length - 1 : 0;
      const part = content[pi];
      if (!isRecord(part) || typeof part.text !== 'string') return body;
      content[pi] = { ...part, text: join(part.text, notice, position) };
      output[i] = { ...item, content };
      const out: Record<string, unknown> = { ...body, output };
      if (typeof body.output_text === 'string') out.output_text = join(body.output_text, notice, position);
      return out;
    }
    default:
      return body;
  }
}
