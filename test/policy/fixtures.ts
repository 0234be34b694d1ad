/** Small detectors for engine tests, so they do not depend on the real rule packs. */
import type { Detection, Detector } from '../../src/detect/types.js';
import type { DetectorFactories } from '../../src/policy/detectors.js';

function regexDetector(id: string, rules: { rule: string; re: RegExp; category: Detection['category'] }[]): Detector {
  return {
    id,
    scan(text) {
      const out: Detection[] = [];
      for (const r of rules) {
        const re = new RegExp(r.re.source, r.re.flags + 'g');
        for (const m of text.matchAll(re)) out.push({ rule: r.rule, type: r.rule, category: r.category, start: m.index!, end: m.index! + m[0].length });
      }
      return out;
    },
  };
}

export const tinySecrets = regexDetector('tiny-secrets', [
  { rule: 'aws-access-key', re: /AKIA[0-9A-Z]{16}/, category: 'secret' },
  { rule: 'openai-api-key', re: /sk-[A-Za-z0-9]{24,}/, category: 'secret' },
  { rule: 'private-key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/, category: 'secret' },
]);

export const tinyPii = regexDetector('tiny-pii', [{ rule: 'email', re: /[\w.+-]+@[\w-]+\.[\w.]+/, category: 'pii' }]);

export const tinyInjection = regexDetector('tiny-injection', [{ rule: 'injection.override', re: /ignore (?:all )?previous instructions/i, category: 'injection' }]);

export const tinyShell = regexDetector('tiny-shell', [{ rule: 'shell.rm-rf-root', re: /rm -rf \//, category: 'shell' }]);

export const tinyDetectors: Partial<DetectorFactories> = {
  secrets: () => tinySecrets,
  secretCandidates: () => ['akia', 'sk-', '-----begin'],
  pii: () => tinyPii,
  injection: () => tinyInjection,
  shell: () => tinyShell,
};

/** Fake but realistically shaped values (never real credentials). */
export const AWS_KEY = 'AKIAZ7Q4XW2MB3KT9PLD';
export const OPENAI_KEY = 'sk-Tq8vXr2LmN4bHc7WzP1sK9dYfGa3';
/** Shaped like real keys, so the real rule pack finds them (fake; never real credentials). */
export const REAL_SHAPED = {
  aws: 'AKIAZ7Q4XW2MB3KT9PLD',
  openai: 'sk-proj-Zq7Xw2Lm9Rt4Vb8Nc1Hd6Jp3Sa5Ge0KfT3BlbkFJMn4Qx8Rt2Yw6Zb1Nc5Hd9Jp3Sa7Ge0Kf',
  github: 'ghp_8Vf2kLm9Qx3Rt7Yw1Zb5Nc4Hd6Jp0Sa2Ge7K',
} as const;
