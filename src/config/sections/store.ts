/** `store`: where decision events and access keys live (owned by the evidence helper). */
import { z } from 'zod';

export const storeSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
      .optional()
      .describe('PostgreSQL URL; when unset, SQLite in the data directory.'),
    url_env: z.string().optional().describe('Environment variable holding the PostgreSQL URL (keeps the password out of the file).'),
    path: z.string().optional().describe('SQLite file path (default <data_dir>/events.db).'),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
      .optional()
      .describe('PostgreSQL schema for kt tables (created when missing); default: the connection search_path.'),
    chain_key_file: z
      .string()
      .optional()
      .describe('File holding the event-chain HMAC key (created 0600 when missing); default <data_dir>/chain.key. Several instances on one PostgreSQL must share one key.'),
    chain_key_env: z.string().optional().describe('Environment variable holding the event-chain key (default KT_CHAIN_KEY); wins over the file.'),
  })
  .describe('Event store.');
