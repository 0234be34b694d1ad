/** The built-in credential rule pack, in family order (the order only matters for reading). */
import type { SecretRule } from '../rule.js';
import { aiRules } from './ai.js';
import { chatRules } from './chat.js';
import { ciRules } from './ci.js';
import { cloudRules } from './cloud.js';
import { genericRules } from './generic.js';
import { keyRules } from './keys.js';
import { paymentRules } from './payment.js';
import { saasRules } from './saas.js';
import { vcsRules } from './vcs.js';

export const SECRET_RULES: readonly SecretRule[] = [
  ...cloudRules,
  ...vcsRules,
  ...ciRules,
  ...chatRules,
  ...paymentRules,
  ...aiRules,
  ...saasRules,
  ...keyRules,
  ...genericRules,
];
