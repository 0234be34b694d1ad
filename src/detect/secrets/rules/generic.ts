/**
 * Context rules: credentials recognised by where they sit rather than by a vendor format — password /
 * secret / token assignments and comparisons, Authorization headers, URL user-info, database connection
 * strings, .netrc, Gradle, PowerShell / .NET / PsExec invocations. They run last in priority: a vendor
 * rule that matches the same range names the finding.
 */
import type { SecretRule } from '../rule.js';
import { fake } from '../sample.js';
import { entropy } from '../validate.js';

/** Key names that hold a secret. The name must end there (so `token_url`, `key_id`, `passwordHint` do not count). */
const SECRET_NAME =
  '(?:pass(?:wd|word|phrase)?|pwd|secrete?|secret[_-]?key|token|auth[_-]?token|access[_-]?token|refresh[_-]?token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|user[_-]?auth|auth)';

/** Values that are code or configuration indirection, not a literal secret. */
const INDIRECTION =
  /^(?:\$|%|@|&|\{|<|:|\?|#\{|process\.env|os\.(?:environ|getenv)|env\(|getenv|System\.getenv|ENV\[|config\.|settings\.|self\.|this\.|params|request|args|true$|false$|null$|none$|nil$|undefined$|string$|str$|bool$|int$|required$|optional$)/i;

/** Hashes of passwords are not passwords (crypt, bcrypt, argon2, pbkdf2, Django's algorithm$…). */
const PASSWORD_HASH = /^\$(?:1|2[abxy]?|5|6|y|argon2(?:id|i|d)|pbkdf2[\w-]*|scrypt)\$|^(?:pbkdf2_sha256|bcrypt|argon2|sha1|md5)\$/;

/** Literal values that only name the thing they stand in for. */
const WORDS = /^(?:password|passwd|secret|token|changeme|example|sample|test|testing|dummy|default|placeholder|none|empty|todo|fixme|hidden|redacted|xxx+|value|string|\*+|\.+|-+)$/i;

/** Values that say they are not real. */
const NOT_REAL = /fake|example|sample|placeholder|dummy|changeme|replace|your[_-]|_here$/i;

/**
 * Variable names that belong to a provider whose key format a provider rule checks exactly: a value that
 * fails that format is a near miss (a truncated or documentation key), not a generic secret.
 */
const PROVIDER_NAME =
  /aws|amazon|secret[_-]?access[_-]?key|okta|ibm|iam|cos[_-]hmac|softlayer|cloudant|sumo|meraki|databricks|npm|_authtoken|slack|gitlab|stripe|twilio|sendgrid|mailchimp|heroku|openai|anthropic|huggingface|hf_|pixie|newrelic|new[_-]relic|discord|telegram|shopify|square|sonar|snyk|pypi|vault|auth0|notion|cloudflare|grafana|sentry|mapbox/i;

function literalSecret(value: string, quoted: boolean): boolean {
  if (value.length < (quoted ? 4 : 6)) return false;
  if (INDIRECTION.test(value) || PASSWORD_HASH.test(value) || WORDS.test(value) || NOT_REAL.test(value)) return false;
  if (/\s/.test(value) || /^[.,#/[\\(]|^\w+:\/\//.test(value)) return false;
  // A value that is itself `name=` / `name:` is the next assignment, not a literal.
  if (/^[\w.-]*(?:pass|pwd|secret|token|key|auth)[\w.-]*[=:]/i.test(value)) return false;
  // Unquoted slugs (`shorter-version`, `some_name`) are identifiers, not secrets.
  if (!quoted && /^[a-z]+(?:[-_][a-z]+)+$/i.test(value)) return false;
  // Unquoted values must not read like code: identifiers, member access, calls, indexing, numbers.
  if (!quoted && (/^[A-Za-z_][\w]*[.([]/.test(value) || /^[A-Za-z_]+$/.test(value) || /^[\d.]+$/.test(value))) return false;
  return entropy(value) >= (quoted ? 1.5 : 2.5);
}

/** `[ \t]`. */
const isBlank = (c: number) => c === 32 || c === 9;

/** `[\w.-]` as a char code. */
const nameCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;

/**
 * The stretch a generic-password match through this keyword hit can occupy. The name runs on from the hit
 * to a quote / bracket / blank and then an operator or a comma (`password = …`, `"api_key": …`): the match
 * starts at the name (or its opening quote) and ends within a 200-character value after the operator. Or
 * the name follows `==` / `!=` (`"…" == password`): the match starts at the quoted value before that.
 * Neither value holds a line break, so the stretch ends at the line. Anything else cannot match, and source
 * code says `token` and `auth` in every other line (`tokenizer.encode(`, `this.auth.user`), so only these
 * few hits are worth the regex.
 */
function assignmentWindow(text: string, start: number): [number, number] | undefined {
  const n = text.length;
  let nameEnd = start;
  for (let k = 0; nameEnd < n && k < 96 && nameCode(text.charCodeAt(nameEnd)); k++) nameEnd++;
  let nameStart = start;
  for (let k = 0; nameStart > 0 && k < 96 && nameCode(text.charCodeAt(nameStart - 1)); k++) nameStart--;
  let from = n;
  let to = -1;
  let i = nameEnd;
  for (let k = 0; i < n && k < 16; k++, i++) {
    const c = text.charCodeAt(i);
    if (c !== 34 && c !== 39 && c !== 92 && c !== 93 && c !== 91 && c !== 32 && c !== 9) break; // " ' \ ] [ space tab
  }
  const op = text.charCodeAt(i);
  if (op === 61 || op === 58 || op === 44 || op === 33 || op === 63) {
    // = : , ! ?
    from = nameStart - 2;
    // Operator, blanks and a value of at most 200 characters, none of which is a line break.
    const limit = Math.min(n, i + 3 + 8 + 202 + 4);
    to = i;
    while (to < limit && text.charCodeAt(to) !== 10) to++;
  }
  let j = nameStart;
  for (let k = 0; j > 0 && k < 8 && isBlank(text.charCodeAt(j - 1)); k++) j--;
  if (text.charCodeAt(j - 1) === 61) {
    for (let k = 0; j > 0 && k < 3 && (text.charCodeAt(j - 1) === 61 || text.charCodeAt(j - 1) === 33); k++) j--;
    for (let k = 0; j > 0 && k < 8 && isBlank(text.charCodeAt(j - 1)); k++) j--;
    // A quoted value of at most 200 characters, on the line where `==` is.
    let bol = j;
    while (bol > 0 && j - bol < 202 && text.charCodeAt(bol - 1) !== 10) bol--;
    from = Math.min(from, bol);
    to = Math.max(to, nameEnd + 1);
  }
  return to < 0 ? undefined : [Math.max(0, from), Math.min(n, to)];
}

/**
 * Where a generic-password match through this hit can begin (the pattern is tried anchored there):
 * for `name (op) value`, the name's opening `\"` / `"`, the name itself, or just after a `.` inside it
 * (`this.password = …`); for `"value" == name`, the value's opening quote. Same reading as
 * `assignmentWindow`: no operator or comparison, no start.
 */
function assignmentStarts(text: string, start: number): number[] {
  const n = text.length;
  let nameEnd = start;
  for (let k = 0; nameEnd < n && k < 96 && nameCode(text.charCodeAt(nameEnd)); k++) nameEnd++;
  let nameStart = start;
  for (let k = 0; nameStart > 0 && k < 96 && nameCode(text.charCodeAt(nameStart - 1)); k++) nameStart--;
  const out: number[] = [];
  let i = nameEnd;
  for (let k = 0; i < n && k < 16; k++, i++) {
    const c = text.charCodeAt(i);
    if (c !== 34 && c !== 39 && c !== 92 && c !== 93 && c !== 91 && c !== 32 && c !== 9) break;
  }
  const op = text.charCodeAt(i);
  if (op === 61 || op === 58 || op === 44 || op === 33 || op === 63) {
    out.push(nameStart - 2, nameStart - 1, nameStart);
    for (let p = nameStart + 1; p <= start; p++) if (text.charCodeAt(p - 1) === 46) out.push(p);
  }
  let j = nameStart;
  for (let k = 0; j > 0 && k < 8 && isBlank(text.charCodeAt(j - 1)); k++) j--;
  if (text.charCodeAt(j - 1) === 61) {
    for (let k = 0; j > 0 && k < 3 && (text.charCodeAt(j - 1) === 61 || text.charCodeAt(j - 1) === 33); k++) j--;
    for (let k = 0; j > 0 && k < 8 && isBlank(text.charCodeAt(j - 1)); k++) j--;
    // j - 1 is the value's closing quote; its opening one is the same character, ≤ 200 characters back.
    const quote = text.charCodeAt(j - 1);
    if (quote === 34 || quote === 39 || quote === 96) {
      for (let p = j - 2, k = 0; p >= 0 && k <= 200; p--, k++) {
        const c = text.charCodeAt(p);
        if (c === quote) {
          out.push(p);
          break;
        }
        if (c === 34 || c === 39 || c === 96 || c === 10 || c === 92) break;
      }
    }
  }
  return out;
}

const Q = `["'\`]`;
const OPS = '(?:=>|:=|===?|!==?|\\?=|=|:)';

export const genericRules: SecretRule[] = [
  {
    id: 'generic-password',
    description: 'A literal assigned to, compared with, or passed alongside a password / secret / token / API-key name.',
    // Every spelling SECRET_NAME accepts contains one of these (so a window opens wherever a name can match).
    keywords: ['pass', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'accesskey', 'access-key', 'private_key', 'privatekey', 'private-key', 'credential', 'auth'],
    pattern: new RegExp(
      // name (op) value   —   `password = "x"`, `"api_key": "x"`, `db_pass: x`, `password == 'x'`, `("api_token", "x")`
      `(?:(?<qn>\\\\?["'])[\\w.-]{0,40}?${SECRET_NAME}\\k<qn>[ \\t]{0,8}(?:,|${OPS})|(?<![\\w-])[\\w.-]{0,40}?${SECRET_NAME}(?![\\w-])\\]?(?:\\[\\])?[ \\t]{0,8}${OPS})[ \\t]{0,8}(?:(?<q>${Q})(?<secret>[^"'\`\\n\\\\]{1,200})\\k<q>|(?<secret2>[^\\s"'\`,;)]{6,200}))` +
        // value == name  —  `if ("x" == password)`
        `|(?<q2>${Q})(?<secret3>[^"'\`\\n\\\\]{4,200})\\k<q2>[ \\t]{0,8}[!=]==?[ \\t]{0,8}[\\w.]{0,40}?${SECRET_NAME}(?![A-Za-z0-9])`,
      'i',
    ),
    priority: 0,
    before: 100,
    after: 260,
    around: assignmentWindow,
    starts: assignmentStarts,
    validate: (secret, match) => {
      const at = match.indexOf(secret);
      const before = match[at - 1];
      // The name is whatever precedes the value (or follows it, for `"value" == password`).
      const name = at > 1 ? match.slice(0, at) : match.slice(at + secret.length);
      // `KEY=value` in an env file: a bare word is still a literal there.
      if (/^[A-Z][A-Z0-9_]*=$/.test(name) && /^[A-Za-z]{6,}$/.test(secret) && !WORDS.test(secret)) return !PROVIDER_NAME.test(name);
      if (PROVIDER_NAME.test(name) || /(?:^|[^a-z])pub(?:lic)?[_-]?[a-z]*$|publictoken/i.test(name.replace(/[^\w-].*$/s, ''))) return false;
      return literalSecret(secret, before === '"' || before === "'" || before === '`');
    },
    truePositives: [
      `password = "${fake(14, 'aAn!#%')}"`,
      `"client_secret" : "${fake(64, 'h')}",`,
      `if username == "admin" and password == "${fake(8)}":`,
      `db_pass: ${fake(12, 'aAn!')}`,
      ` utils.GetEnvOrDefault("api_token", "${fake(32, 'h')}")`,
      `if ("${fake(20)}" == password) {`,
      `this.config.apiKey = '${fake(24)}';`,
    ],
    falsePositives: [
      { text: 'password = request.form["password"]', why: 'reads a request field' },
      { text: 'apiKey = ""', why: 'empty' },
      { text: 'password: ${dbPass}', why: 'template reference' },
      { text: 'not_secret = justaword', why: 'an unquoted bare word' },
      { text: '"credentialId": "' + fake(22) + '"', why: 'an id field: the name does not end in a secret word' },
      { text: "access_token_url='https://auth.example.com/oauth/access_token'", why: 'a URL field' },
      { text: 'password: "$2a$05$' + fake(53, 'aAn./') + '"', why: 'a bcrypt hash, not the password' },
      { text: 'otherpassword = "has spaces in it"', why: 'prose with spaces' },
    ],
  },
  {
    id: 'auth-header',
    description: 'Credential in an Authorization / API-key HTTP header (Bearer, Basic, Token, raw).',
    keywords: ['authorization', 'x-api-key', 'api-key:', 'apikey:', 'x-auth-token', 'private-token', 'x-access-token'],
    before: 24,
    pattern:
      /(?:Authorization|Proxy-Authorization)["']?\s*[:=,]\s*["']?\s*(?:(?:Bearer|Basic|Token|Digest|Bot|SSWS|GenieKey|Api-Key|Api-Token|apikey)\s+(?<secret3>[A-Za-z0-9._~+/=:@-]{8,})|(?<secret>[A-Za-z0-9._~+/=:-]{16,}))|(?<![\w-])(?:X-Api-Key|Api-Key|apikey|X-Auth-Token|Private-Token|X-Access-Token)["']?\s*[:=,]\s*["']?(?<secret2>[A-Za-z0-9._~+/=-]{16,})/i,
    priority: 1,
    validate: (s) => !/^(?:Bearer|Basic|Token)$/i.test(s) && entropy(s) >= 2.5 && /\d/.test(s) && /[A-Za-z]/.test(s),
    truePositives: [`curl -H "Authorization: Bearer ${fake(32, 'h')}" https://api.example.com`, `--header 'Authorization:  ${fake(8, 'h')}-${fake(4, 'h')}-4${fake(3, 'h')}-a${fake(3, 'h')}-${fake(12, 'h')}'`, `-H 'X-Api-Key: ${fake(32)}'`],
    falsePositives: [
      { text: '-H "Authorization: Bearer $API_KEY"', why: 'shell variable' },
      { text: '-H "Authorization: Bearer $(gcloud auth print-access-token)"', why: 'command substitution' },
      { text: '--header "Authorization: Basic ..."', why: 'elided' },
    ],
  },
  {
    id: 'url-basic-auth',
    description: 'Password in URL user-info (scheme://user:password@host), including database URLs.',
    keywords: ['://'],
    requires: '@',
    before: 24,
    pattern:
      /https?:\/\/(?<secret3>[A-Za-z0-9_]{20,}):x-oauth-basic@|(?<![\w-])[a-z][a-z0-9+.-]{1,20}:\/\/(?<user>[^\s:/@'"`<>{}$]{1,80}):(?!x-oauth-basic@)(?<secret>[^\s@/'"`<>]{3,200})@[\w.-]+/,
    priority: 1,
    validate: (s, match) => {
      if (/^(?:\$|\{|<|%|\[|\*+$)/.test(s) || /^\d{2,5}$/.test(s)) return false;
      // Words that name the credential instead of being one (`user:password`, `-u name:token`).
      if (/^(?:my)?pass(?:word|wd)\d*$|^(?:token|test|pwd)$|fake|example|replace|your|xxxx/i.test(s)) return false;
      // `postgres://postgres:postgres@…`: a default account, not a secret.
      if (match.endsWith(':x-oauth-basic@')) return true; // the token is the user part
      const user = /\/\/([^:]+):/.exec(match);
      return !user || user[1] !== s;
    },
    truePositives: [`DATABASE_URL=postgres://app:${fake(16)}@db.internal:5432/app`, `"git+https://${fake(40, 'h')}:x-oauth-basic@github.com/o/r.git"`],
    falsePositives: [
      { text: 'mysql://app:${DB_PASS}@db.example.org:3306/app', why: 'template reference' },
      { text: "'https://host:9000';@other text", why: 'a port, not user-info' },
    ],
  },
  {
    id: 'curl-basic-auth',
    description: 'Password given to curl with --user / -u user:password.',
    keywords: ['--user', '-u '],
    pattern: /(?:--user|-u)\s+["']?(?<user>[^\s:'"$<{]{0,80})["']?:["']?(?<secret>[^\s'"$<{[][^\s'"]{3,119})/,
    priority: 1,
    validate: (s, match) => {
      if (/^(?:my)?pass(?:word|wd)\d*$|^(?:token|test|pwd)$|fake|example|replace|your|xxxx/i.test(s)) return false;
      const user = /(?:--user|-u)\s+["']?([^:]*):/.exec(match);
      return !user || user[1] !== s;
    },
    truePositives: [`curl https://api.example.com --user ${fake(15, 'an')}:${fake(15, 'an')} -d x=1`],
    falsePositives: [
      { text: 'curl -u "${USER}:${PASS}"', why: 'shell variables' },
      { text: 'curl -i -u test:test https://localhost', why: 'a default account (user equals password)' },
    ],
  },
  {
    id: 'db-connection-string',
    description: 'Password inside an ADO.NET / ODBC / JDBC key-value connection string (Password= / Pwd=).',
    keywords: ['user id=', 'userid=', 'uid=', 'data source=', 'initial catalog=', 'server=', 'database=', 'provider=', 'driver='],
    // Password= with another connection-string key on the same line, before or after it.
    pattern:
      /(?<=^|[;"'\s])(?:Password|Pwd)\s*=\s*(?<secret>[^;"'\s]{3,128})(?:(?<=(?:User\s?ID|Uid|Server|Data Source|Host|Database|Initial Catalog|Provider|Driver)\s*=[^\n]{0,300})|(?=[^\n]{0,300}(?:User\s?ID|Uid|Server|Data Source|Initial Catalog|Database)\s*=))/i,
    before: 320,
    after: 320,
    priority: 1,
    validate: (s) => !/^(?:\$|\{|<|%|\*+$)/.test(s),
    truePositives: [`"Server=db1;Database=app;User ID=svc;Password=${fake(12, 'aAn!#')};Trusted_Connection=False"`],
    falsePositives: [{ text: '"Server=db1;Database=app;User ID=svc;Password={0};"', why: 'format placeholder' }],
  },
  {
    id: 'netrc-credentials',
    description: '.netrc machine entry with a password.',
    keywords: ['machine'],
    before: 8,
    pattern: /machine\s+[\w.-]+\s+login\s+\S+\s+password\s+(?<secret>\S{3,})/,
    validate: (s) => /[^A-Za-z]/.test(s),
    truePositives: [`machine api.example.com\n  login me\n  password ${fake(24, 'h')}`],
    falsePositives: [{ text: 'machine learning login flow password reset', why: 'prose' }],
  },
  {
    id: 'hardcoded-gradle-credentials',
    description: 'Gradle / Maven repository credentials block with a literal password.',
    keywords: ['credentials'],
    before: 8,
    pattern: /credentials\s*\{(?:\s|\/\/[^\n]*)*username\s*=?\s*["'][^"'\n]+["'](?:\s|\/\/[^\n]*)*password\s*=?\s*["'](?<secret>[^"'\n$]{3,})["']/,
    allowPlaceholders: true,
    priority: 1,
    truePositives: [`credentials {\n  username "deploy"\n  password "${fake(12)}"\n}`],
    falsePositives: [{ text: 'credentials {\n  username "deploy"\n  password "$repoPassword"\n}', why: 'Groovy variable interpolation' }],
  },
  {
    id: 'credentials-in-psexec-invocation',
    description: 'Password passed to PsExec with -p.',
    keywords: ['psexec'],
    before: 24,
    pattern: /psexec(?:\.exe)?\b[^\n]{0,200}?\s-u\s+\S+\s+-p\s+(?<secret>[^\s"'%$]\S{2,})/i,
    validate: (s) => !/^(?:password|pass|passwd|pwd)$/i.test(s),
    priority: 1,
    allowPlaceholders: true,
    truePositives: [`psexec \\\\10.0.0.5 -u Administrator -p ${fake(10)} cmd`],
    falsePositives: [{ text: 'psExec \\\\HOST -u User -p $Password -i -d calc.exe', why: 'variable' }],
  },
  {
    id: 'credentials-in-connect-viserver-invocation',
    description: 'Password passed to PowerCLI Connect-VIServer.',
    keywords: ['connect-viserver'],
    before: 8,
    pattern: /connect-viserver\b[^\n]{0,200}?-password\s+(?<secret>"[^"\n]+"|'[^'\n]+'|\S+)/i,
    priority: 1,
    allowPlaceholders: true,
    truePositives: [`Connect-VIServer vc.lab.local -User administrator -Password ${fake(10)}!`],
    falsePositives: [{ text: 'Connect-VIServer vc.lab.local -Credential $cred', why: 'credential object, no password argument' }],
  },
  {
    id: 'credentials-in-net-system-net-networkcredential',
    description: 'Literal password passed to System.Net.NetworkCredential.',
    keywords: ['networkcredential'],
    before: 16,
    pattern: /NetworkCredential\s*\(\s*"[^"\n]*"\s*,\s*"(?<secret>[^"\n]{3,})"/,
    priority: 1,
    truePositives: [`new NetworkCredential("svc", "${fake(16)}");`],
    falsePositives: [{ text: 'new NetworkCredential(user, password);', why: 'variables' }],
  },
  {
    id: 'credentials-in-net-system-directoryservices-directoryentry',
    description: 'Literal password passed to DirectoryServices.DirectoryEntry.',
    keywords: ['directoryentry'],
    before: 16,
    pattern: /DirectoryEntry\s*\(\s*"[^"\n]*"\s*,\s*"[^"\n]*"\s*,\s*"(?<secret>[^"\n]{3,})"/,
    priority: 1,
    allowPlaceholders: true,
    truePositives: [`new DirectoryEntry("LDAP://corp.local",\n "CORP\\\\svc",\n "${fake(10)}");`],
    falsePositives: [{ text: 'new DirectoryEntry("LDAP://corp.local", user, pass);', why: 'variables' }],
  },
  {
    id: 'phpmailer-credentials',
    description: 'PHPMailer SMTP password literal.',
    keywords: ['->password'],
    before: 32,
    pattern: /\$\w+->Password\s*=\s*(['"])(?<secret>[^'"\n]{3,})\1/,
    priority: 1,
    allowPlaceholders: true,
    truePositives: [`$mail->Username = 'me@example.com';\n$mail->Password = '${fake(14)}';`],
    falsePositives: [{ text: "$mail->Password = getenv('SMTP_PASS');", why: 'environment' }],
  },
  {
    id: 'sensitive-value-in-net-configuration',
    description: '.NET app/web.config <add key="…Password|Secret|Token|ConnectionString…" value="…"> with a literal value.',
    keywords: ['<add'],
    before: 8,
    pattern: /<add\s+(?:key|name)="[^"]*(?:password|secret|token|apikey|api_key|connectionstring)[^"]*"\s+(?:value|connectionString)="(?<secret>[^"]{3,})"/i,
    priority: 1,
    validate: (s) => !/^(?:\$|\{|<|%)/.test(s),
    truePositives: [`<add key="SmtpPassword" value="${fake(12)}"/>`],
    falsePositives: [{ text: '<add key="SmtpPassword" value="{SMTP_PASSWORD}"/>', why: 'token-replacement placeholder' }],
  },
  {
    id: 'api-key-in-url',
    description: 'API key or token passed in a URL query string (?api_key=…, &access_token=…, ?token=…).',
    keywords: ['key=', 'token='],
    before: 24,
    pattern: /[?&](?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|key|secret)=(?<secret>[A-Za-z0-9_.~-]{20,})/i,
    priority: 1,
    validate: (s) => entropy(s) >= 3.5 && /\d/.test(s) && /[A-Za-z]/.test(s),
    truePositives: [`https://api.example.com/v1/data?api_key=${fake(32)}&q=1`],
    falsePositives: [{ text: 'https://api.example.com/v1/data?api_key=DEMO_KEY', why: 'documented demo value' }],
  },
];
