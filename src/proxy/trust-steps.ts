/**
 * The text `kt ca trust` prints: how to make each kind of client trust the kt local CA, with the real
 * path substituted. Clients read different trust stores (the OS store, the IDE's own list, Node's bundled
 * roots), so trusting it in one place is often not enough. Nothing here runs a command for the user.
 */

const q = (p: string) => (/[\s"'$`\\]/.test(p) ? `"${p.replace(/(["$`\\])/g, '\\$1')}"` : p);

export function trustSteps(certPath: string, fingerprint: string, proxy = '127.0.0.1:41002'): string {
  const c = q(certPath);
  return `kt local CA: ${certPath}
SHA-256 fingerprint: ${fingerprint}
Check the file before trusting it:  openssl x509 -noout -fingerprint -sha256 -in ${c}

Trusting it lets kt decrypt HTTPS to the hosts it intercepts (see docs/JETBRAINS.md and
docs/VSCODE-COPILOT.md). Anyone holding its private key can impersonate any site to this machine:
keep the key (mode 0600) private, and remove the CA when you stop using kt.

macOS (system keychain; asks for your password):
  sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${c}
  remove later: sudo security remove-trusted-cert -d ${c}

Debian / Ubuntu:
  sudo cp ${c} /usr/local/share/ca-certificates/kt-local-ca.crt
  sudo update-ca-certificates

RHEL / Fedora / CentOS:
  sudo cp ${c} /etc/pki/ca-trust/source/anchors/kt-local-ca.pem
  sudo update-ca-trust

Windows (an administrator prompt; for the current user only add -user):
  certutil -addstore -f Root ${c}

JetBrains IDEs (IntelliJ IDEA, PyCharm, WebStorm, GoLand, Rider, …):
  1. Settings → Tools → Server Certificates → "+" → choose ${c} → OK
     (the IDE keeps its own trust list; the OS store alone is not always used).
  2. Settings → Appearance & Behavior → System Settings → HTTP Proxy → Manual proxy configuration,
     HTTP, Host name 127.0.0.1, Port ${proxy.split(':').pop()}; "Check connection" with https://api.openai.com.
     With gateway.auth.mode: keys tick "Proxy authentication": any login, password = your kt_ key.

VS Code (GitHub Copilot and other extensions):
  settings.json:  "http.proxy": "http://${proxy}",  "http.proxyStrictSSL": true
  (keys mode: "http.proxy": "http://kt:kt_…@${proxy}"). VS Code reads the OS store once the CA is
  trusted there ("http.systemCertificates": true, the default); the extension host is Node, so also
  start VS Code with  NODE_EXTRA_CA_CERTS=${c}  in its environment.

Node.js clients (read at process start):
  export NODE_EXTRA_CA_CERTS=${c}
  export HTTPS_PROXY=http://${proxy}   (only for clients that honour it)

Bun:
  export NODE_EXTRA_CA_CERTS=${c}

Rust (reqwest/hyper with native-tls or OpenSSL), Python, curl and other OpenSSL clients:
  SSL_CERT_FILE replaces the default bundle, so point it at the system roots plus this CA:
    cat /etc/ssl/certs/ca-certificates.crt ${c} > ~/kt-ca-bundle.pem   # Debian/Ubuntu bundle path
    export SSL_CERT_FILE=~/kt-ca-bundle.pem
  rustls with rustls-native-certs reads the system store: the OS step above is enough. Clients built
  with webpki-roots (roots compiled in) cannot be made to trust it.
`;
}
