/** `kt events tail | export | verify`: decision events from the store. Implementations are lazy-imported. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--policy-config <file>', 'read store and data_dir from this config (repeatable)', collect, [])
    .option('--data-dir <dir>', 'data directory holding events.db (default $KT_DATA_DIR or ~/.kt)')
    .option('--store-url <url>', 'PostgreSQL URL of a shared store')
    .option('--store-schema <name>', 'PostgreSQL schema of the store (as store.schema)');
}

export function register(program: Command): void {
  const events = program.command('events').description('decision events: tail, export, verify');
  storeOptions(
    events
      .command('tail')
      .description('show the latest decision events (and follow new ones)')
      .option('--since <when>', 'only events since 5m, 1h, 2d or an RFC 3339 time')
      .option('--verdict <v>', 'allow | flag | redact | block | escalate')
      .option('--user <id>', 'only this user id')
      .option('--client <name>', 'only this client (claude-cli, codex, …)')
      .option('--limit <n>', 'how many to show first (default 20)')
      .option('--json', 'one JSON event per line (NDJSON)')
      .option('--follow', "keep printing new events: the running gateway's live stream, else polling the store")
      .option('--url <url>', 'gateway whose live stream --follow reads (default http://127.0.0.1:41002)')
      .option('--key <kt_key>', 'access key with the admin role for the live stream in keys mode (default $KT_KEY)'),
  ).action(async (opts) => {
    const { eventsTail } = await import('../../audit/cli/events-cmd.js');
    await eventsTail(opts);
  });
  storeOptions(
    events
      .command('export')
      .description('write events in a time range as CSV or JSON')
      .option('--since <when>', 'from (5m, 1h, 2d or RFC 3339)')
      .option('--until <when>', 'to, exclusive (same forms)')
      .option('--format <f>', 'csv | json (default json)')
      .option('--output <file>', 'write here instead of stdout'),
  ).action(async (opts) => {
    const { eventsExport } = await import('../../audit/cli/events-cmd.js');
    await eventsExport(opts);
  });
  storeOptions(
    events
      .command('verify')
      .description('check the keyed hash chain; exit 1 and name the first broken event')
      .option('--json', 'machine output')
      .option('--require-keyed', 'also exit 1 when events have unkeyed (pre-keying) hashes'),
  ).action(
    async (opts) => {
      const { eventsVerify } = await import('../../audit/cli/events-cmd.js');
      await eventsVerify(opts);
    },
  );
}
