/**
 * Which hosts the forward proxy terminates TLS for and governs; everything else is tunnelled (or
 * refused with `proxy.passthrough: deny`). Patterns are exact names or `*.suffix` (any depth below
 * the suffix, not the suffix itself). Ports are ignored.
 */

/** Documented in docs/JETBRAINS.md and docs/VSCODE-COPILOT.md; extend with `proxy.intercept_hosts`. */
export const DEFAULT_INTERCEPT_HOSTS: readonly string[] = [
  // Provider APIs
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  '*.openai.azure.com',
  // JetBrains AI Assistant (the AI service; names not confirmed against JetBrains documentation)
  'api.jetbrains.ai',
  '*.grazie.ai',
  '*.grazie.aws.intellij.net',
  // GitHub Copilot
  'api.githubcopilot.com',
  '*.githubcopilot.com',
  'copilot-proxy.githubusercontent.com',
];

export interface ProxySettings {
  enabled: boolean;
  passthrough: 'allow' | 'deny';
  /** Requests with a body on an intercepted host's path no dialect knows (src/proxy/routes.ts). */
  unknownPaths: 'scan' | 'passthrough' | 'deny';
  intercept: HostMatcher;
}

export interface ProxyConfigView {
  proxy?: { enabled?: boolean; intercept_hosts?: string[]; passthrough?: 'allow' | 'deny'; unknown_paths?: 'scan' | 'passthrough' | 'deny'; ca_dir?: string };
}

export class HostMatcher {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      const p = raw.trim().toLowerCase().replace(/\.$/, '');
      if (p.startsWith('*.')) this.suffixes.push(p.slice(1));
      else if (p) this.exact.add(p);
    }
  }

  matches(hostWithPort: string): boolean {
    const host = hostOnly(hostWithPort).toLowerCase().replace(/\.$/, '');
    return this.exact.has(host) || this.suffixes.some((s) => host.endsWith(s) && host.length > s.length);
  }
}

/** `host:port`, `[v6]:port` or a bare host → the host (IPv6 without brackets). */
export function hostOnly(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(1, authority.indexOf(']'));
  const i = authority.lastIndexOf(':');
  return i > 0 && authority.indexOf(':') === i ? authority.slice(0, i) : authority;
}

const cache = new WeakMap<object, ProxySettings>();

/** The proxy settings of one loaded config (memoised per config object, so per reload). */
export function proxySettings(config: ProxyConfigView): ProxySettings {
  let s = cache.get(config);
  if (!s) {
    const p = config.proxy ?? {};
    s = {
      enabled: p.enabled !== false,
      passthrough: p.passthrough ?? 'allow',
      unknownPaths: p.unknown_paths ?? 'scan',
      intercept: new HostMatcher([...DEFAULT_INTERCEPT_HOSTS, ...(p.intercept_hosts ?? [])]),
    };
    cache.set(config, s);
  }
  return s;
}
