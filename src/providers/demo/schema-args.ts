/**
 * Builds tool-call arguments from a tool's JSON Schema: every required property gets a plausible
 * value, so the client-side tool validation of a real assistant accepts the demo's call.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const STRING_BY_NAME: [RegExp, string][] = [
  [/path|file|dir|folder/i, 'README.md'],
  [/command|cmd|script/i, 'ls'],
  [/url|uri|link|href/i, 'https://example.com'],
  [/pattern|regex|glob/i, '*.md'],
  [/query|search|question|prompt/i, 'kt demo'],
  [/email/i, 'demo@example.com'],
  [/city|location/i, 'Paris'],
  [/lang/i, 'en'],
  [/date/i, '2026-01-01'],
  [/id$/i, 'demo-1'],
];

function stringFor(name: string, schema: Obj): string {
  if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com';
  if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (schema.format === 'date') return '2026-01-01';
  if (schema.format === 'email') return 'demo@example.com';
  for (const [re, value] of STRING_BY_NAME) if (re.test(name)) return value;
  return 'demo';
}

function typeOf(schema: Obj): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  if (isObj(schema.properties)) return 'object';
  return undefined;
}

export function valueFor(schema: unknown, name = '', depth = 0): unknown {
  if (!isObj(schema) || depth > 6) return 'demo';
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema && schema.default !== undefined) return schema.default;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const pick = options.find((o) => !(isObj(o) && o.type === 'null')) ?? options[0];
      return valueFor(pick, name, depth + 1);
    }
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectFor(schema, depth);
    case 'array': {
      const min = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      return Array.from({ length: Math.min(min, 3) }, () => valueFor(schema.items, name, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
      const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
      if (min !== undefined) return typeOf(schema) === 'integer' ? Math.ceil(min) : min;
      if (max !== undefined && max < 1) return max;
      return 1;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringFor(name, schema);
  }
}

function objectFor(schema: Obj, depth: number): Obj {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const out: Obj = {};
  for (const key of required) out[key] = valueFor(props[key], key, depth + 1);
  return out;
}

/** JSON text of the arguments for a call of a tool with this parameters/input_schema. */
export function argumentsFor(schema: unknown): string {
  return JSON.stringify(isObj(schema) ? objectFor(schema, 0) : {});
}
