/** `kt spend [--by user|team|project|client|model|key|scope] [--since 30d]`: cost and tokens from the decision events. */
import type { Writable } from 'node:stream';
import { ExitError, EXIT } from '../../cli/exit.js';
import { cliDb, parseSince, type StoreArgs } from '../../audit/cli/cli-store.js';
import { EventStore, type SpendDimension } from '../../audit/event-store.js';
import { table } from '../../identity/cli/keys-cmd.js';

const DIMENSIONS: SpendDimension[] = ['user', 'team', 'project', 'client', 'model', 'key', 'scope'];

export interface SpendOptions extends StoreArgs {
  by?: string;
  since?: string;
  json?: boolean;
  stdout?: Writable;
}

export async function spend(opts: SpendOptions): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  const by = (opts.by ?? 'user') as SpendDimension;
  if (!DIMENSIONS.includes(by)) throw new ExitError(EXIT.usage, `kt spend: --by must be one of ${DIMENSIONS.join(', ')}`);
  const since = parseSince(opts.since ?? '30d');
  const { db } = await cliDb(opts);
  const store = await EventStore.open(db);
  try {
    const rows = await store.spend(by, since);
    if (opts.json) return void out.write(JSON.stringify({ by, since: new Date(since).toISOString(), rows }) + '\n');
    if (rows.length === 0) return void out.write(`no requests since ${new Date(since).toISOString()}\n`);
    const total = rows.reduce((s, r) => s + r.cost_usd, 0);
    const body = rows.map((r) => [
      r.key ?? '(none)',
      String(r.requests),
      `$${r.cost_usd.toFixed(4)}`,
      r.unpriced ? String(r.unpriced) : '-',
      String(r.input_tokens),
      String(r.output_tokens),
    ]);
    out.write(table([by.toUpperCase(), 'REQUESTS', 'COST', 'UNPRICED', 'INPUT_TOKENS', 'OUTPUT_TOKENS'], body));
    out.write(`total $${total.toFixed(4)} since ${new Date(since).toISOString()}${rows.some((r) => r.unpriced) ? ' (UNPRICED requests used models without a known price: their cost is not included)' : ''}\n`);
  } finally {
    await store.close();
  }
}
