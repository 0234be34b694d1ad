/** How `kt events|keys|spend` find the store: the same config the gateway runs with, or explicit flags. */
import { loadConfigFiles } from '../../config/index.js';
import { ExitError, EXIT } from '../../cli/exit.js';
import type { Db } from '../db/types.js';
import { openDb } from '../open-store.js';
import { evidenceSettings, type EvidenceSettings } from '../settings.js';

export interface StoreArgs {
  policyConfig?: string[];
  dataDir?: string;
  storeUrl?: string;
  /** PostgreSQL schema of the store (`--store-schema`, like `store.schema`). */
  storeSchema?: string;
}

export async function cliSettings(args: StoreArgs): Promise<EvidenceSettings> {
  let config: unknown = {};
  if (args.policyConfig?.length) {
    try {
      config = (await loadConfigFiles(args.policyConfig)).config;
    } catch (err) {
      throw new ExitError(EXIT.usage, `kt: ${(err as Error).message}`);
    }
  }
  const c = config as { gateway?: { data_dir?: string }; store?: Record<string, unknown> };
  if (args.dataDir) c.gateway = { ...(c.gateway ?? {}), data_dir: args.dataDir };
  if (args.storeUrl) c.store = { ...(c.store ?? {}), url: args.storeUrl };
  if (args.storeSchema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(args.storeSchema)) throw new ExitError(EXIT.usage, `kt: --store-schema must be a lower-case SQL identifier, got "${args.storeSchema}"`);
    c.store = { ...(c.store ?? {}), schema: args.storeSchema };
  }
  return evidenceSettings(c);
}

export async function cliDb(args: StoreArgs): Promise<{ db: Db; settings: EvidenceSettings }> {
  const settings = await cliSettings(args);
  try {
    return { db: await openDb(settings.store, settings.dataDir), settings };
  } catch (err) {
    throw new ExitError(EXIT.usage, `kt: cannot open the event store (${settings.store.url ? 'postgres' : settings.store.path}): ${(err as Error).message}`);
  }
}

/** `5m`, `1h`, `2d`, `30s`, `1w` ago, or an RFC 3339 / ISO time. */
export function parseSince(v: string, now = Date.now()): number {
  const m = /^(\d+)\s*(s|m|h|d|w)$/.exec(v.trim());
  if (m) return now - Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2] as 's']!;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ExitError(EXIT.usage, `kt: cannot read the time "${v}"; use 5m, 1h, 2d or an RFC 3339 time like 2026-11-21T10:00:00Z.`);
  return t;
}
