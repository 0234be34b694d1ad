/**
 * Fake conversation boundaries: chat-template control tokens, role tags and transcript turns that try to
 * end the real prompt and open a forged one (ChatML `<|im_start|>`, Llama `[INST]`/`<<SYS>>`, `</system>`,
 * `Human:`/`Assistant:` turns, JSON `{"role":"system"}`, `=== END OF USER INPUT ===` banners). Matched on
 * the normalised view.
 *
 * A token that is *used* — it opens a role and goes on in natural language — is strong evidence on its
 * own. A token that is only *mentioned* (`strips <|im_start|> tokens`, a chat template with `{{ content }}`,
 * `</system>` in a sanitiser's description) is supporting evidence: developers write about these all day.
 */
import type { Detection, Detector } from '../types.js';
import type { InjectionRule, RuleOptions } from './rules.js';

const rule = (id: string, weight: number, keywords: string[], source: string, group?: string, opts: RuleOptions = {}): InjectionRule => ({
  id, kind: 'boundary', weight, keywords, re: new RegExp(source, 'gu'), ...(group ? { group } : {}), ...(opts.also ? { also: opts.also } : {}), ...(opts.reach ? { reach: opts.reach } : {}),
});
/** Tokens, tags and JSON roles merely present: together they count as one piece of evidence. */
const MENTION = 'boundary-mention';

const TOKENS = 'im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end|fim_prefix|fim_suffix|fim_middle';
const ROLE = '(?:system|developer|user|assistant)';
/** What a forged turn goes on with: words, not a template placeholder (`{{`, `{content}`, `" +`). */
const PROSE = '[a-z][a-z\'’,]*(?:[ \\t]+[a-z\'’,.!]+){2,}';

export const BOUNDARY_RULES: InjectionRule[] = [
  rule('boundary.forged-turn', 4, ['<|', '[inst]', '<<sys>>'],
    // ChatML and Llama 3 put a turn's content on the line after its role; a sentence about the format does not.
    `<\\|(?:im_start|start_header_id)\\|>[ \\t]*${ROLE}[ \\t]*(?:<\\|end_header_id\\|>)?[ \\t]*\\n\\s*${PROSE}` +
      `|\\[inst\\][ \\t]*(?:<<sys>>)?\\s*${PROSE}[^\\[\\]]{0,400}?\\[/inst\\]|<<sys>>\\s*${PROSE}[\\s\\S]{0,400}?<</sys>>`),
  rule('boundary.control-token', 2, ['<|', '[inst]', '[/inst]', '<<sys>>', '<</sys>>'], `<\\|(?:${TOKENS})\\|>|\\[/?inst\\]|<</?sys>>`, MENTION),
  rule('boundary.role-block', 4, ['<system', '<developer', '<instructions', '<assistant'],
    `<(system|system_prompt|developer|instructions)>\\s*${PROSE}[^<>]{0,400}</\\1>` +
      `|</(?:user|user_input|user_query|input|query|context|document|tool_result)>\\s*<(?:system|system_prompt|developer|instructions|assistant)>`, undefined, { also: ['<system', '<developer', '<instructions', '</'] }),
  rule('boundary.role-tag', 1, ['</system', '</instructions', '</developer', '</user', '</context', '</document', '</tool_result', '<system', '<developer', '<instructions'],
    `</(?:system|system_prompt|instructions|developer|user_input|user|context|document|tool_result)>|<(?:system|system_prompt|developer|instructions)>`, MENTION, { also: ['</', '<system', '<assistant', '<user', '<instructions', '<developer'] }),
  // A transcript turn after a blank line (`\n\nHuman: …`): forged history, or a log pasted to debug.
  rule('boundary.turn', 2, ['human', 'assistant', 'system', 'user', 'ai', 'developer'], `(?:^|\\n)[ \\t]*\\n[ \\t]*(?:human|assistant|system|user|ai|developer)[ \\t]*:[ \\t]*\\S`, undefined, { also: ['human:', 'assistant:', 'system:', 'user:'], reach: [64, 40] }),
  rule('boundary.section-header', 2, ['##'], `(?:^|\\n)#{2,3}[ \\t]*(?:system|instructions?|new instructions|assistant|response)[ \\t]*:?[ \\t]*(?:\\n|$)`, undefined, { also: ['### ', '## '], reach: [2, 48] }),
  rule('boundary.json-role', 2, ['"role"', "'role'"], `["']role["']\\s*:\\s*["'](?:system|developer|assistant)["']`, MENTION, { reach: [0, 48] }),
  // A banner that names a part of the conversation (`=== END OF USER INPUT ===`), not a file, a test run or a PEM block.
  rule('boundary.end-marker', 2, ['input', 'prompt', 'message', 'instruction', 'context', 'conversation', 'query', 'turn', 'rules'],
    `(?:-{3,}|={3,}|\\*{3,}|#{3,}|\\[|<)[ \\t]*(?:end|begin|start|new)(?:[ \\t]+of)?(?:[ \\t]+the)?(?:[ \\t]+(?:user|system|developer|admin|assistant|real|actual|original))?[ \\t]+(?:input|prompt|message|instructions?|context|conversation|query|turn|rules)\\b[^\\n]{0,20}?(?:-{3,}|={3,}|\\*{3,}|#{3,}|\\]|>)`, undefined, { also: ['---', '===', '***', '###', '[end', '[begin', '[new', '<end'], reach: [160, 48] }),
];

const DELIMITER = new RegExp(`<\\|(?:${TOKENS})\\|>|\\[/?INST\\]|<</?SYS>>`, 'giu');

/**
 * `boundaries.enforce_delimiters`: every chat-template control token in the text, whatever the score, so
 * the policy can neutralise them — a self-hosted model whose server parses them out of plain text must
 * not get a turn boundary from user content or a file.
 */
export function createDelimiterDetector(): Detector {
  return {
    id: 'injection-delimiters',
    scan(text: string): Detection[] {
      const out: Detection[] = [];
      if (!text.includes('<|') && !text.includes('[') && !text.includes('<<')) return out;
      DELIMITER.lastIndex = 0;
      for (let m = DELIMITER.exec(text); m; m = DELIMITER.exec(text)) {
        out.push({ rule: 'injection.delimiter', type: 'control-token', category: 'injection', start: m.index, end: m.index + m[0].length, confidence: 1 });
      }
      return out;
    },
  };
}
