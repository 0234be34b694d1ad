/** `policies`: the ordered chain of policy kinds. */
import { z } from 'zod';
import { POLICY_NAMES } from './policies/index.js';

export const chainSchema = z
  .array(z.enum(POLICY_NAMES))
  .describe('Policy kinds in the order they run. A kind without a policy.<kind> block runs with its defaults.');

export const policiesSchema = z
  .strictObject({ chain: chainSchema })
  .describe('Which policies run, in order.');
