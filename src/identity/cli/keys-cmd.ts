/** `kt keys create | list | revoke`. */
import type { Writable } from 'node:stream';
import { ExitError, EXIT } from '../../cli/exit.js';
import { cliDb, type StoreArgs } from '../../audit/cli/cli-store.js';
import { AccessKeys, type AccessKey } from '../access-keys.js';

export interface KeysCreateOptions extends StoreArgs {
  name: string;
  user?: string;
  team?: string;
  project?: string;
  tags?: string;
  roles?: string;
  expires?: string;
  json?: boolean;
  stdout?: Writable;
}

const list = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** `30d`, `12h`, `2w` from now, or a date/time. */
export function parseExpiry(v: string, now = Date.now()): Date {
  const m = /^(\d+)\s*(h|d|w)$/.exec(v.trim());
  if (m) return new Date(now + Number(m[1]) * { h: 36e5, d: 864e5, w: 6048e5 }[m[2] as 'h']!);
  const t = Date.parse(v);
  if (Number.isNaN(t) || t <= now) throw new ExitError(EXIT.usage, `kt keys create: --expires must be a future date or a duration like 30d, got "${v}"`);
  return new Date(t);
}

async function withKeys<T>(args: StoreArgs, fn: (k: AccessKeys) => Promise<T>): Promise<T> {
  const { db, settings } = await cliDb(args);
  try {
    return await fn(new AccessKeys(db, { secret: settings.keysSecret }));
  } finally {
    await db.close();
  }
}

export async function keysCreate(opts: KeysCreateOptions): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  if (!opts.name) throw new ExitError(EXIT.usage, 'kt keys create: --name is required');
  const expiresAt = opts.expires ? parseExpiry(opts.expires) : undefined;
  await withKeys(opts, async (keys) => {
    const { key, record } = await keys.create({
      name: opts.name,
      userId: opts.user,
      teamId: opts.team,
      projectId: opts.project,
      tags: list(opts.tags),
      roles: list(opts.roles),
      expiresAt,
    });
    if (opts.json) out.write(JSON.stringify({ key, ...record }) + '\n');
    else
      out.write(
        `${key}\n\nCreated ${record.id} "${record.name}"${record.userId ? ` for user ${record.userId}` : ''}${record.expiresAt ? `, expires ${record.expiresAt}` : ''}.\n` +
          `Store the key now: kt keeps only its hash and cannot show it again.\n` +
          `Clients send it as Authorization: Bearer <key> or x-api-key: <key>.\n`,
      );
  });
}

function row(k: AccessKey): string[] {
  const status = k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) <= Date.now() ? 'expired' : 'active';
  return [k.id, k.prefix + '…', k.name, k.userId ?? '-', k.teamId ?? '-', k.projectId ?? '-', k.roles.join(',') || '-', k.tags.join(',') || '-', k.createdAt.slice(0, 19) + 'Z', k.expiresAt?.slice(0, 10) ?? '-', status];
}

export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n') + '\n';
}

export async function keysList(opts: StoreArgs & { all?: boolean; json?: boolean; stdout?: Writable }): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  await withKeys(opts, async (keys) => {
    const all = await keys.list({ includeRevoked: opts.all });
    if (opts.json) return void out.write(JSON.stringify(all) + '\n');
    if (all.length === 0) return void out.write('no access keys; create one with kt keys create --name NAME\n');
    out.write(table(['ID', 'KEY', 'NAME', 'USER', 'TEAM', 'PROJECT', 'ROLES', 'TAGS', 'CREATED', 'EXPIRES', 'STATUS'], all.map(row)));
  });
}

export async function keysRevoke(opts: StoreArgs & { id: string; stdout?: Writable }): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  await withKeys(opts, async (keys) => {
    const n = await keys.revoke(opts.id);
    if (n === 0) throw new ExitError(EXIT.usage, `kt keys revoke: no active key with id or prefix "${opts.id}" (see kt keys list)`);
    out.write(`revoked ${opts.id}; gateways refuse it within 5 seconds\n`);
  });
}
