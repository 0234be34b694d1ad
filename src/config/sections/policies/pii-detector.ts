/** `policy.pii-detector`: personal data in prompts, tool results and outputs. */
import { z } from 'zod';
import { namedPattern, policyBase } from './common.js';

const piiAction = z.enum(['redact', 'block', 'flag', 'off']);

export const piiDetectorSchema = z
  .strictObject({
    ...policyBase,
    action: z.enum(['redact', 'block', 'flag']).default('redact').describe('What to do with detected personal data.'),
    redaction: z
      .strictObject({
        marker_format: z
          .enum(['label', 'asterisk', 'partial', 'preserve_length'])
          .default('label')
          .describe('label → [REDACTED:email]; asterisk → ****; partial keeps a few edge characters; preserve_length keeps the length.'),
        // (marked edit: policy engine) say what it does: the type is always in a label marker.
        include_metadata: z
          .boolean()
          .default(false)
          .describe('Add a short keyed fingerprint to label markers ([REDACTED:email:3fa2c1]) so distinct values stay distinguishable; the key is kept in <data_dir>/fingerprint.key (or KT_FINGERPRINT_KEY), so markers are stable across restarts.'),
        preserve_length: z.boolean().default(false).describe('Pad markers to the length of the value they replace.'),
      })
      .default({ marker_format: 'label', include_metadata: false, preserve_length: false })
      .describe('How redacted values are written.'),
    types: z
      .strictObject({
        email: piiAction.optional(),
        phone: piiAction.optional(),
        credit_card: piiAction.optional(),
        iban: piiAction.optional(),
        ssn: piiAction.optional(),
        ip_address: piiAction.optional(),
      })
      .optional()
      .describe('Per-type action overriding `action`; `off` disables the type.'),
    // (marked edit: detection precision) infrastructure and example values are not personal data by default.
    ip: z
      .strictObject({
        include_private: z
          .boolean()
          .default(false)
          .describe('Also report private-network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): infrastructure, not a person, so off by default.'),
      })
      .optional()
      .describe('IP address options. Loopback, link-local, multicast, broadcast and documentation addresses are never reported unless include_reserved is set.'),
    include_reserved: z
      .boolean()
      .default(false)
      .describe('Also report values reserved for examples, tests and fiction, which belong to no one: loopback, documentation and link-local IPs, addresses at example.com/.test/.invalid/.local, 555-0100–0199 numbers, the SSN 123-45-6789.'),
    detect_patterns: z.array(namedPattern).optional().describe('Extra patterns treated as personal data.'),
    allowlist: z.array(z.string()).optional().describe('Literal values never reported (e.g. support@example.com).'),
  })
  .describe('Detects personal data (email, phone, cards, IBAN, SSN, IP) and redacts or blocks it.');

export type PiiDetectorConfig = z.infer<typeof piiDetectorSchema>;
