/**
 * The `rbac` policy: who may call at all (`require_auth`, `deny_if_missing` headers) and what each
 * role may use (models and tools, allow- and deny-lists with `*` globs). A principal's roles come
 * from its access key, or — without a key — from the `X-User-Role` header. Pure: evaluate() takes
 * the principal, headers, model and tool names and returns a verdict the caller records.
 */
import type { Principal } from '../gateway/exchange.js';
import type { PolicyOutcome } from '../policy/types.js';
import { header } from './client-detect.js';

export interface RbacRole {
  allowed_models?: string[];
  denied_models?: string[];
  allowed_tools?: string[];
  denied_tools?: string[];
}

export interface RbacConfig {
  /** Headers every request must carry (e.g. `X-User-Id`). */
  deny_if_missing?: string[];
  /** Refuse requests without an access key or a passthrough provider key. */
  require_auth?: boolean;
  /** Role applied when a principal has none. */
  default_role?: string;
  roles?: Record<string, RbacRole> | (RbacRole & { name: string })[];
}

export interface RbacContext {
  principal: Principal;
  headers: Record<string, string | string[] | undefined>;
  model?: string;
  tools: string[];
}

function globToRe(glob: string): RegExp {
  return new RegExp('^' + glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$', 'i');
}
const matches = (list: string[] | undefined, value: string): boolean => !!list?.some((g) => globToRe(g).test(value));

function rolesOf(cfg: RbacConfig): Map<string, RbacRole> {
  const m = new Map<string, RbacRole>();
  if (Array.isArray(cfg.roles)) for (const r of cfg.roles) m.set(r.name, r);
  else if (cfg.roles) for (const [k, v] of Object.entries(cfg.roles)) m.set(k, v);
  return m;
}

const block = (reasonCode: string, rule: string, message: string): PolicyOutcome => ({
  verdict: 'block',
  reasonCode,
  message,
  findings: [{ policy: 'rbac', rule, type: rule, category: 'access', path: '', start: 0, end: 0, action: 'block' }],
});

export function evaluateRbac(cfg: RbacConfig, ctx: RbacContext): PolicyOutcome {
  if (cfg.require_auth && ctx.principal.kind === 'anonymous')
    return block('auth_required', 'require_auth', 'rbac: this gateway requires an access key (Authorization: Bearer kt_…) or your provider key.');
  for (const h of cfg.deny_if_missing ?? [])
    if (!header(ctx.headers, h)) return block('missing_header', 'deny_if_missing', `rbac: the request must carry the ${h} header; set it in your client's custom headers.`);
  const defined = rolesOf(cfg);
  if (defined.size === 0) return { verdict: 'allow', findings: [] };
  const names = ctx.principal.roles?.length ? ctx.principal.roles : cfg.default_role ? [cfg.default_role] : [];
  const roles = names.map((n) => defined.get(n)).filter((r): r is RbacRole => !!r);
  if (roles.length === 0) return block('role_denied', 'no_role', `rbac: no role grants access here (roles: ${names.join(', ') || 'none'}).`);
  // A request passes when at least one of the principal's roles allows it.
  const allowsModel = (r: RbacRole, m: string) => !matches(r.denied_models, m) && (!r.allowed_models || matches(r.allowed_models, m));
  if (ctx.model && !roles.some((r) => allowsModel(r, ctx.model!)))
    return block('model_denied', 'model', `rbac: model ${ctx.model} is not allowed for role ${names.join(', ')}.`);
  const allowsTool = (r: RbacRole, t: string) => !matches(r.denied_tools, t) && (!r.allowed_tools || matches(r.allowed_tools, t));
  const denied = ctx.tools.filter((t) => !roles.some((r) => allowsTool(r, t)));
  if (denied.length)
    return block('tool_denied', 'tool', `rbac: tool ${denied.slice(0, 5).join(', ')} is not allowed for role ${names.join(', ')}; remove it from the client's tool set.`);
  return { verdict: 'allow', findings: [] };
}

/** Tool names a request declares, in every dialect's shape (OpenAI function tools, Anthropic and Responses tools). */
export function declaredTools(body: unknown): string[] {
  const tools = (body as { tools?: unknown })?.tools;
  if (!Array.isArray(tools)) return [];
  const out: string[] = [];
  for (const t of tools) {
    const o = t as { name?: unknown; function?: { name?: unknown }; type?: unknown };
    const name = typeof o?.name === 'string' ? o.name : typeof o?.function?.name === 'string' ? o.function.name : typeof o?.type === 'string' ? o.type : undefined;
    if (name) out.push(name);
  }
  return out;
}
