/**
 * How several --policy-config files combine, in the order given:
 * mappings deep-merge (later files win key by key), lists and scalars replace, and `null` in a later
 * file removes the key. So an overlay file can change one setting or replace the target list.
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function mergeConfigValues(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? mergeConfigValues(out[k], v) : v;
  }
  return out;
}
