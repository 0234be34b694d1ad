/**
 * `kt ca init | path | trust` through the real bin: the CA lands in $KT_DATA_DIR/ca (or proxy.ca_dir from
 * --policy-config) with a 0700 directory and a 0600 ECDSA P-256 key, init is idempotent, --force replaces
 * it, path prints it (exit 2 before init), trust names the path and every platform's steps.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const KT = fileURLToPath(new URL('../../bin/kt.js', import.meta.url));

function kt(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KT, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('kt ca (real bin)', () => {
  let root: string;
  let dataDir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kt-ca-cli-'));
    dataDir = join(root, 'data'); // does not exist yet: init creates it
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('path before init exits 2 and says to run kt ca init; --policy-config proxy.ca_dir is honoured', async () => {
    const custom = join(root, 'custom-ca');
    const cfg = join(root, 'policy-config.yaml');
    writeFileSync(cfg, `pack: { name: ca-test, version: 1.0.0, enabled: true }\npolicies: { chain: [] }\nproxy:\n  ca_dir: ${JSON.stringify(custom)}\n`);
    const [missing, viaConfig] = await Promise.all([kt(['ca', 'path'], { KT_DATA_DIR: dataDir }), kt(['ca', 'init', '--policy-config', cfg], { KT_DATA_DIR: dataDir })]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /no CA in .*data\/ca yet.*kt ca init/);
    assert.equal(missing.stdout, '');
    assert.equal(viaConfig.code, 0, viaConfig.stderr);
    assert.ok(viaConfig.stdout.includes(join(custom, 'ca.pem')), viaConfig.stdout);
    assert.equal(mode(join(custom, 'ca-key.pem')), 0o600);
  });

  it('init creates a P-256 CA (dir 0700, key 0600); init again keeps it; path and trust print it; --force replaces it', async () => {
    const caDir = join(dataDir, 'ca');
    const certPath = join(caDir, 'ca.pem');
    const keyPath = join(caDir, 'ca-key.pem');
    const first = await kt(['ca', 'init'], { KT_DATA_DIR: dataDir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Created the kt local CA/);
    assert.equal(mode(caDir), 0o700);
    assert.equal(mode(keyPath), 0o600);

    const certPem = readFileSync(certPath, 'utf8');
    const cert = new X509Certificate(certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const key = createPrivateKey(readFileSync(keyPath, 'utf8'));
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(cert.checkPrivateKey(key), true, 'the key belongs to the certificate');
    assert.ok(cert.verify(createPublicKey(certPem)), 'self-signed');
    assert.ok(first.stdout.includes(cert.fingerprint256), 'init prints the SHA-256 fingerprint');

    const [again, path, trust] = await Promise.all([
      kt(['ca', 'init'], { KT_DATA_DIR: dataDir }),
      kt(['ca', 'path'], { KT_DATA_DIR: dataDir }),
      kt(['ca', 'trust', '--data-dir', dataDir], {}),
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already exists/);
    assert.ok(again.stdout.includes(certPath));
    assert.equal(readFileSync(certPath, 'utf8'), certPem, 'a second init keeps the same CA');

    assert.equal(path.code, 0, path.stderr);
    assert.equal(path.stdout, `${certPath}\n`);

    assert.equal(trust.code, 0, trust.stderr);
    const t = trust.stdout;
    assert.ok(t.includes(cert.fingerprint256), 'trust shows the fingerprint');
    for (const line of [
      `security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${certPath}`,
      `sudo cp ${certPath} /usr/local/share/ca-certificates/kt-local-ca.crt`,
      'update-ca-certificates',
      `sudo cp ${certPath} /etc/pki/ca-trust/source/anchors/`,
      'update-ca-trust',
      `certutil -addstore -f Root ${certPath}`,
      'Settings → Tools → Server Certificates',
      'HTTP Proxy',
      '"http.proxy": "http://127.0.0.1:41002"',
      '"http.proxyStrictSSL": true',
      `NODE_EXTRA_CA_CERTS=${certPath}`,
      'Bun',
      'SSL_CERT_FILE',
      'rustls-native-certs reads the system store',
    ])
      assert.ok(t.includes(line), `trust output mentions: ${line}`);

    const forced = await kt(['ca', 'init', '--force'], { KT_DATA_DIR: dataDir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /replacing the previous one/);
    const replaced = new X509Certificate(readFileSync(certPath, 'utf8'));
    assert.notEqual(replaced.fingerprint256, cert.fingerprint256);
    assert.equal(mode(keyPath), 0o600);
    assert.equal(replaced.checkPrivateKey(createPrivateKey(readFileSync(keyPath, 'utf8'))), true);
  });
});
