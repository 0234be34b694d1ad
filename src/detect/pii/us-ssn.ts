/**
 * US Social Security numbers. Valid structure per SSA: area 001–899 except 666, group 01–99, serial 0001–9999
 * (https://www.ssa.gov/employer/randomization.html). A bare nine-digit run is an SSN only next to a context word.
 */
import type { Detection } from '../types.js';
import { before, isIdentChar } from './boundaries.js';

const FORMATTED = /(\d{3})([- .])(\d{2})([- .])(\d{4})/g;
const COMPACT = /\d{9}/g;
const CONTEXT = /\b(?:ssn|ssns|social security|social sec|ss#|ss no|tin)\b/;

// Numbers the SSA voided after they appeared in print (Woolworth's wallet card, an ad sample).
const VOIDED = new Set(['078051120', '219099999', '457555462']);
// The textbook example, never issued to anyone and printed in every form template and test.
const EXAMPLE = '123456789';

export interface SsnOptions {
  /** Report the example number 123-45-6789 too; default off. */
  includeReserved?: boolean;
}

export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !VOIDED.has(area + group + serial);
}

export function findUsSsns(text: string, out: Detection[], opts: SsnOptions = {}): void {
  const valid = (a: string, g: string, s: string) => ssnValid(a, g, s) && (opts.includeReserved === true || a + g + s !== EXAMPLE);
  FORMATTED.lastIndex = 0;
  for (let m = FORMATTED.exec(text); m; m = FORMATTED.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[2] !== m[4]) continue; // `512-34.6789`: mixed separators are not how anyone writes an SSN
    if (isIdentChar(text[start - 1]) || isIdentChar(text[end]) || '.-'.includes(text[start - 1] ?? 'x')) continue;
    if (text[end] === m[2] && /\d/.test(text[end + 1] ?? '')) continue; // part of a longer dotted/dashed number
    if (!valid(m[1]!, m[3]!, m[5]!)) continue;
    out.push({ rule: 'us-ssn', type: 'us-ssn', category: 'pii', start, end, confidence: 0.85 });
  }
  COMPACT.lastIndex = 0;
  for (let m = COMPACT.exec(text); m; m = COMPACT.exec(text)) {
    const start = m.index;
    const end = start + 9;
    if (isIdentChar(text[start - 1]) || isIdentChar(text[end])) continue;
    if (!CONTEXT.test(before(text, start, 40))) continue;
    if (!valid(m[0].slice(0, 3), m[0].slice(3, 5), m[0].slice(5))) continue;
    out.push({ rule: 'us-ssn', type: 'us-ssn', category: 'pii', start, end, confidence: 0.7 });
  }
}
