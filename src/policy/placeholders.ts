/**
 * Redaction placeholders. Every format is a pure function of (type, value, key): the same secret always
 * gets the same placeholder, so redacting turn N+1 of a conversation reproduces turn N's redacted bytes
 * and provider prompt caches keep hitting.
 *
 *   label            [REDACTED:aws-access-key]           (+ `:<6 hex>` with include_metadata)
 *   asterisk         ********                            (length of the value with preserve_length)
 *   partial          ************WXYZ                    (last 4 kept when the value is long enough)
 *   preserve_length  [REDACTED:aws-access********]       (label fitted to the value's length)
 */
import type { Fingerprinter } from './fingerprint.js';

export const MARKER_FORMATS = ['label', 'asterisk', 'partial', 'preserve_length'] as const;
export type MarkerFormat = (typeof MARKER_FORMATS)[number];

export interface RedactionOptions {
  marker_format?: MarkerFormat;
  /** Adds a short keyed fingerprint to label markers, so distinct values stay distinguishable. */
  include_metadata?: boolean;
  /** Asterisk markers as long as the value. */
  preserve_length?: boolean;
}

export function placeholder(type: string, value: string, opts: RedactionOptions, fp: Fingerprinter): string {
  const format = opts.marker_format ?? 'label';
  const len = [...value].length;
  switch (format) {
    case 'asterisk':
      return '*'.repeat(opts.preserve_length ? len : 8);
    case 'partial': {
      // Only long values keep a tail; short ones would reveal too large a share.
      const keep = len >= 16 ? 4 : 0;
      const chars = [...value];
      return '*'.repeat(opts.preserve_length ? len - keep : 8) + chars.slice(len - keep).join('');
    }
    case 'preserve_length': {
      const label = `[REDACTED:${type}]`;
      if (len >= label.length) return label + '*'.repeat(len - label.length);
      return '*'.repeat(len);
    }
    default: {
      const suffix = opts.include_metadata ? ':' + fp(type, value).slice(0, 6) : '';
      return `[REDACTED:${type}${suffix}]`;
    }
  }
}
