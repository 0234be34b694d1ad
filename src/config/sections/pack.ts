/** `pack`: identity of the policy pack this file defines. */
import { z } from 'zod';

// SemVer 2.0.0 (https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string), no leading "v".
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const packSchema = z
  .strictObject({
    name: z.string().min(1).describe('Pack name, shown in lint output, events and /health.'),
    version: z.string().regex(SEMVER, { message: 'must be a SemVer version such as 1.0.0' }).describe('SemVer version of the pack.'),
    enabled: z.boolean().describe('false: the chain is not run (traffic is forwarded and recorded).'),
    id: z.string().optional(),
    author: z.string().optional(),
    description: z.string().optional(),
  })
  .describe('Identity of the policy pack.');
