/**
 * What the quality heuristics read from a buffered answer, in any client dialect: why generation
 * stopped, whether the model refused, and whether the request asked for JSON.
 */
import { isRecord } from '../../../dialects/segments.js';

/** True when the provider says the answer hit the output-token limit. */
export function truncated(response: unknown): boolean {
  if (!isRecord(response)) return false;
  if (response.stop_reason === 'max_tokens') return true; // Anthropic
  if (response.status === 'incomplete' && isRecord(response.incomplete_details) && response.incomplete_details.reason === 'max_output_tokens') return true; // Responses
  if (Array.isArray(response.choices)) return response.choices.some((c) => isRecord(c) && c.finish_reason === 'length'); // chat, completions
  return false;
}

/** A provider-level refusal signal (chat `message.refusal`, Anthropic `stop_reason: refusal`, Responses refusal parts). */
export function providerRefusal(response: unknown): boolean {
  if (!isRecord(response)) return false;
  if (response.stop_reason === 'refusal') return true;
  if (Array.isArray(response.choices) && response.choices.some((c) => isRecord(c) && isRecord(c.message) && typeof c.message.refusal === 'string' && c.message.refusal))
    return true;
  if (Array.isArray(response.output))
    return response.output.some((it) => isRecord(it) && Array.isArray(it.content) && it.content.some((p) => isRecord(p) && p.type === 'refusal'));
  return false;
}

const REFUSAL_OPENERS = /^\s*(?:I['’]m sorry,? (?:but )?I (?:can(?:no|['’])t|won['’]t|am unable)|I (?:can(?:no|['’])t|won['’]t|am unable to) (?:help|assist|comply|provide|do that)|As an AI(?: language model)?,? I (?:can(?:no|['’])t|don['’]t))/i;

export function textRefusal(text: string): boolean {
  return REFUSAL_OPENERS.test(text.slice(0, 200));
}

/** Whether the request asked for a JSON answer (chat response_format, Responses text.format, Anthropic output format). */
export function jsonRequested(request: unknown): boolean {
  if (!isRecord(request)) return false;
  const isJson = (f: unknown) => isRecord(f) && (f.type === 'json_object' || f.type === 'json_schema');
  if (isJson(request.response_format)) return true;
  if (isRecord(request.text) && isJson(request.text.format)) return true;
  if (isJson(request.output_format)) return true;
  if (isRecord(request.output_config) && isJson(request.output_config.format)) return true;
  return false;
}

export function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
