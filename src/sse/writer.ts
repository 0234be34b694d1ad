/** Serialises SSE events. Multi-line data becomes several `data:` lines, as the spec requires. */
import type { SseEvent } from './parser.js';

export function formatSse(ev: SseEvent): string {
  let out = '';
  if (ev.event !== undefined) out += `event: ${ev.event}\n`;
  if (ev.id !== undefined) out += `id: ${ev.id}\n`;
  for (const line of ev.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + '\n';
}
