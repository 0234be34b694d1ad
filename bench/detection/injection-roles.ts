/**
 * The role an injection corpus item would have in real traffic, decided by its *source*, not its label:
 * BIPIA code/e-mail contexts and BIPIA code-attack payloads are third-party content (`tool_result`), in
 * their clean and attacked versions alike; everything else is typed by a user (`user`).
 */
import type { SegmentRole } from '../../src/dialects/types.js';
import type { CorpusItem } from './corpus.js';

export function roleOf(it: CorpusItem): SegmentRole {
  return /benchmark\/(?:code|email)\/|code_attack/.test(it.source) ? 'tool_result' : 'user';
}
