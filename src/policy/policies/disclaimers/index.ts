/** `disclaimers`: a notice added to every answer (JSON and streams) in the client's dialect; see notice.ts. */
import type { DisclaimersConfig } from '../../../config/sections/policies/disclaimers.js';
import { definePolicy, type Policy } from '../../policy.js';

export const NAME = 'disclaimers';

function globMatch(glob: string, s: string): boolean {
  const re = new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(s);
}

export function createDisclaimers(cfg: DisclaimersConfig): Policy {
  const text = cfg.text ?? '';
  return definePolicy({
    name: NAME,
    phases: text ? ['output'] : [],
    mode: cfg.mode ?? 'enforce',
    evaluate: () => ({ verdict: 'allow', findings: [] }),
    notice: text ? { text, position: cfg.position, models: cfg.models } : undefined,
  });
}

/** Whether the notice applies to this model (`models` globs; none means every model). */
export function disclaimerApplies(cfg: Pick<DisclaimersConfig, 'models'>, model: string | undefined): boolean {
  if (!cfg.models || cfg.models.length === 0) return true;
  return model !== undefined && cfg.models.some((g) => globMatch(g, model));
}
