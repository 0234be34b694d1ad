/** Serialises SSE events. Multi-line data becomes several `data:` lines, as the spec requires. */
import type { SseEvent } from './parser.js';

const LINE_BREAK = /\r\n|\r|\n/;

export function formatSse(ev: SseEvent): string {
  let out = '';
  if (ev.event !== undefined) out += `event: ${ev.event}\n`;
  if (ev.id !== undefined) out += `id: ${ev.id}\n`;
  const data = ev.data;
  // JSON event data is one line; splitting it with a regex per event was the writer's main cost.
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `${out}data: ${data}\n\n`;
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out + '\n';
}
