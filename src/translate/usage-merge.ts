/** Usage arrives in pieces (Anthropic message_start + message_delta; OpenAI's last chunk): later known numbers win. */
import type { NUsage } from './neutral.js';

export function mergeUsage(a: NUsage | undefined, b: NUsage | undefined): NUsage | undefined {
  if (!b) return a;
  const out: NUsage = { ...a };
  for (const k of ['input', 'output', 'cacheRead', 'cacheWrite', 'reasoning'] as const) if (b[k] !== undefined) out[k] = b[k];
  return out;
}
