/** `proxy`: forward-proxy mode with local TLS termination (owned by the proxy helper). */
import { z } from 'zod';

export const proxySchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Accept absolute-form and CONNECT requests (default true).'),
    intercept_hosts: z.array(z.string().min(1)).optional().describe('Extra hosts whose TLS is terminated and governed.'),
    passthrough: z.enum(['allow', 'deny']).optional().describe('Other hosts: tunnelled untouched (allow) or refused (deny).'),
    unknown_paths: z
      .enum(['scan', 'passthrough', 'deny'])
      .optional()
      .describe('Intercepted hosts, requests with a body on a path no dialect knows: scan JSON string values with the input policies (scan, default), relay as is (passthrough) or refuse (deny).'),
    ca_dir: z.string().optional().describe('Directory of the local CA (default <data_dir>/ca).'),
  })
  .describe('Forward proxy.');
