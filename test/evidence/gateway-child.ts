/**
 * A gateway in its own process for the multi-instance and crash tests: reads YAML from KT_CHILD_CONFIG,
 * listens on an ephemeral loopback port and prints `READY <url>`. Stops on SIGTERM (or dies on SIGKILL).
 */
import { parseConfigText } from '../../src/config/index.js';
import { startGateway } from '../../src/gateway/server.js';
import { closeEvidence } from '../../src/audit/evidence.js';

const yaml = process.env.KT_CHILD_CONFIG;
if (!yaml) throw new Error('KT_CHILD_CONFIG is required');
const { config, diagnostics } = parseConfigText(yaml, 'child.yaml');
if (!config) throw new Error(JSON.stringify(diagnostics));
const gw = await startGateway({ loaded: { config, version: 'child', files: [], warnings: [] }, listen: '127.0.0.1:0', logger: false, watch: false });
process.stdout.write(`READY ${gw.url}\n`);
process.once('SIGTERM', () => {
  void gw
    .close()
    .then(() => closeEvidence())
    .then(() => process.exit(0));
});
