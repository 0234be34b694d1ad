/** `gateway`: the listener and process settings (owned by the gateway core). */
import { z } from 'zod';

export const gatewaySchema = z
  .strictObject({
    listen: z
      .string()
      .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:]+):\d{1,5}$/, { message: 'must be HOST:PORT, e.g. 127.0.0.1:41002' })
      .optional()
      .describe('HOST:PORT to listen on (default 127.0.0.1:41002). Non-loopback requires auth.mode keys.'),
    max_body_bytes: z.number().int().positive().optional().describe('Largest request body accepted (413 beyond).'),
    fail_mode: z.enum(['block', 'allow']).optional().describe('What a policy error does (default block).'),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    data_dir: z.string().optional().describe('Directory for the event store, CA and state (default ~/.kt).'),
    trust_proxy: z.boolean().optional().describe('Trust X-Forwarded-For from a fronting proxy.'),
    auth: z
      .strictObject({
        mode: z.enum(['none', 'keys', 'passthrough']).describe('none: loopback only; keys: kt_ access keys required; passthrough: client provider keys.'),
      })
      .optional(),
  })
  .describe('Listener and process settings.');
