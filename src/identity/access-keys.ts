/**
 * Gateway access keys (`kt_…`). The key is shown once at creation; the store keeps its SHA-256 only
 * (keys carry 192 random bits, so a plain hash is as strong as a slow one and allows an indexed
 * lookup). Lookups are cached briefly so a revocation reaches every instance within `cacheTtlMs`.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../audit/db/types.js';

export interface AccessKey {
  id: string;
  /** First characters of the key, to recognise it in lists. */
  prefix: string;
  name: string;
  userId?: string;
  teamId?: string;
  projectId?: string;
  roles: string[];
  tags: string[];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

export interface CreateKeyInput {
  name: string;
  userId?: string;
  teamId?: string;
  projectId?: string;
  roles?: string[];
  tags?: string[];
  expiresAt?: Date;
}

export type KeyCheck = { ok: true; key: AccessKey } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

export const KEY_PREFIX = 'kt_';
const KEY_RE = /^kt_[0-9a-f]{48}$/;

/** SHA-256 of the key, or HMAC-SHA-256 when a server secret is configured (`keys.hash_secret_env`). */
export const hashKey = (key: string, secret?: string): string =>
  (secret ? createHmac('sha256', secret) : createHash('sha256')).update(key).digest('hex');
export const looksLikeAccessKey = (s: string): boolean => s.startsWith(KEY_PREFIX);

interface KeyRow {
  id: string;
  hash: string;
  prefix: string;
  name: string;
  user_id: string | null;
  team_id: string | null;
  project_id: string | null;
  roles: string | null;
  tags: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

function fromRow(r: KeyRow): AccessKey {
  return {
    id: r.id,
    prefix: r.prefix,
    name: r.name,
    userId: r.user_id ?? undefined,
    teamId: r.team_id ?? undefined,
    projectId: r.project_id ?? undefined,
    roles: r.roles ? (JSON.parse(r.roles) as string[]) : [],
    tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
    createdAt: r.created_at,
    expiresAt: r.expires_at ?? undefined,
    revokedAt: r.revoked_at ?? undefined,
  };
}

export class AccessKeys {
  private cache = new Map<string, { at: number; row: KeyRow | undefined }>();

  constructor(
    private readonly db: Db,
    private readonly opts: { cacheTtlMs?: number; secret?: string } = {},
  ) {}

  private hash(key: string): string {
    return hashKey(key, this.opts.secret);
  }

  async create(input: CreateKeyInput): Promise<{ key: string; record: AccessKey }> {
    if (!input.name) throw new Error('a key needs a name');
    const key = KEY_PREFIX + randomBytes(24).toString('hex');
    const id = 'key_' + randomBytes(6).toString('hex');
    const row: KeyRow = {
      id,
      hash: this.hash(key),
      prefix: key.slice(0, 10),
      name: input.name,
      user_id: input.userId ?? null,
      team_id: input.teamId ?? null,
      project_id: input.projectId ?? null,
      roles: input.roles?.length ? JSON.stringify(input.roles) : null,
      tags: input.tags?.length ? JSON.stringify(input.tags) : null,
      created_at: new Date().toISOString(),
      expires_at: input.expiresAt ? input.expiresAt.toISOString() : null,
      revoked_at: null,
    };
    await this.db.query(
      `INSERT INTO access_keys (id, hash, prefix, name, user_id, team_id, project_id, roles, tags, created_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [row.id, row.hash, row.prefix, row.name, row.user_id, row.team_id, row.project_id, row.roles, row.tags, row.created_at, row.expires_at, row.revoked_at],
    );
    return { key, record: fromRow(row) };
  }

  async list(opts: { includeRevoked?: boolean } = {}): Promise<AccessKey[]> {
    const rows = await this.db.query<KeyRow>(
      `SELECT * FROM access_keys ${opts.includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at ASC`,
    );
    return rows.map(fromRow);
  }

  /** Revoke by id (`key_…`) or by the printed prefix. Returns how many keys were revoked. */
  async revoke(idOrPrefix: string): Promise<number> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE access_keys SET revoked_at = $1 WHERE (id = $2 OR prefix = $2) AND revoked_at IS NULL RETURNING id`,
      [new Date().toISOString(), idOrPrefix],
    );
    this.cache.clear();
    return rows.length;
  }

  async check(presented: string, now = Date.now()): Promise<KeyCheck> {
    if (!KEY_RE.test(presented)) return { ok: false, reason: 'unknown' };
    const h = this.hash(presented);
    let hit = this.cache.get(h);
    if (!hit || now - hit.at > (this.opts.cacheTtlMs ?? 5_000)) {
      const [row] = await this.db.query<KeyRow>(`SELECT * FROM access_keys WHERE hash = $1`, [h]);
      hit = { at: now, row };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(h, hit);
    }
    const row = hit.row;
    // The indexed lookup already matched; the constant-time compare guards against a lookup that matches loosely.
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(h))) return { ok: false, reason: 'unknown' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    if (row.expires_at && Date.parse(row.expires_at) <= now) return { ok: false, reason: 'expired' };
    return { ok: true, key: fromRow(row) };
  }
}
