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
  })
  .describe('Event store.');
