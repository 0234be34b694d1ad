/**
 * Fake conversation boundaries: chat-template control tokens, role tags and transcript turns that try to
 * end the real prompt and open a forged one (ChatML `<|im_start|>`, Llama `[INST]`/`<<SYS>>`, `</system>`,
 * `Human:`/`Assistant:` turns, JSON `{"role":"system"}`). Matched on the normalised view.
 */
import type { InjectionRule } from './rules.js';

const rule = (id: string, weight: number, keywords: string[], source: string, indirectOnly = false): InjectionRule => ({
  id, kind: 'boundary', weight, keywords, re: new RegExp(source, 'gu'), indirectOnly,
});

export const BOUNDARY_RULES: InjectionRule[] = [
  rule('boundary.control-token', 4, ['<|', '[inst]', '[/inst]', '<<sys>>', '<</sys>>', '<s>', '</s>'],
    `<\\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end|fim_prefix|fim_suffix|fim_middle)\\|>|\\[/?inst\\]|<</?sys>>`),
  rule('boundary.role-tag', 3, ['</', '<system', '<assistant', '<user', '<instructions', '<developer'],
    `</(?:system|system_prompt|instructions|developer|user_input|user|context|document|tool_result)>|<(?:system|system_prompt|developer|instructions)>`),
  rule('boundary.turn', 3, ['human:', 'assistant:', 'system:', 'user:', '### '],
    `(?:^|\\n)\\s*(?:\\n\\s*)(?:human|assistant|system|user|ai|developer)\\s*:\\s*\\S|(?:^|\\n)#{2,3}\\s*(?:system|instruction|instructions|new instructions|assistant|response)\\s*:?\\s*(?:\\n|$)`),
  rule('boundary.json-role', 2, ['"role"', "'role'"], `["']role["']\\s*:\\s*["'](?:system|developer|assistant)["']`),
  rule('boundary.end-marker', 3, ['end of', 'end ', '---', '==='],
    `\\b(?:end of (?:the )?(?:user |system )?(?:input|prompt|context|document|instructions|conversation|text|email|data|file|transcript))\\b|(?:-{3,}|={3,}|\\*{3,})\\s*(?:end|new|begin|start)\\b[^\\n]{0,30}(?:-{3,}|={3,}|\\*{3,})`),
];
