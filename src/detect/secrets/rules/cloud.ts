/** Cloud providers: AWS, Google Cloud, Azure, IBM Cloud, Alibaba, DigitalOcean, Heroku, OpenShift, Kubernetes. */
import type { SecretRule } from '../rule.js';
import { assignment, assignmentAround, prefixed } from '../rule.js';
import { fake, fakeUuid } from '../sample.js';
import { hasLettersAndDigits } from '../validate.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export const cloudRules: SecretRule[] = [
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id (long-term AKIA, temporary ASIA, and the other IAM unique-id prefixes).',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: prefixed('(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}'),
    validate: (s) => !/^(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z]{16}$/.test(s) || /[A-Z]{4}/.test(s.slice(4)),
    truePositives: [`aws_access_key_id = AKIA${fake(16, 'An')}`, `"AccessKeyId": "ASIA${fake(16, 'An')}"`],
    falsePositives: [
      { text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', why: 'the key id from the AWS documentation' },
      { text: 'TODAYINASIAASACKOFRICEFELLOVER', why: 'ASIA inside a word: no boundary before the prefix' },
      { text: `AKIA${fake(15, 'An')}`, why: 'one character short' },
    ],
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key (40 base64 chars) assigned to an AWS-named variable.',
    keywords: ['aws', 'secret_access', 'secretaccess', 'secret-access'],
    before: 48,
    pattern: assignment('aws[\\w-]{0,20}?(?:secret|key)|secret[_-]?access[_-]?key', '[A-Za-z0-9/+]{30,40}'),
    minEntropy: 3.5,
    truePositives: [`AWS_SECRET_ACCESS_KEY=${fake(40, 'aAn+')}`, `aws_secret_key: "${fake(40, 'aAn+')}"`],
    falsePositives: [
      { text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', why: 'documentation example key' },
      { text: `AWS_SECRET_ACCESS_KEY = ${fake(56, 'aAn+')}==`, why: 'longer than 40 chars: some other blob' },
      { text: `aws_secret_access_key: ${'b'.repeat(40)}`, why: 'placeholder run' },
    ],
  },
  {
    id: 'aws-session-token',
    description: 'AWS STS session token assigned to AWS_SESSION_TOKEN / x-amz-security-token.',
    keywords: ['session_token', 'sessiontoken', 'security-token', 'security_token'],
    before: 48,
    pattern: assignment('aws[_-]?session[_-]?token|x-amz-security-token|security[_-]token', '[A-Za-z0-9/+=]{100,}'),
    minEntropy: 4,
    truePositives: [`export AWS_SESSION_TOKEN="FwoGZXIvYXdzE${fake(180, 'aAn+')}"`],
    falsePositives: [{ text: 'AWS_SESSION_TOKEN="${AWS_SESSION_TOKEN}"', why: 'environment reference' }],
  },
  {
    id: 'aws-appsync-api-key',
    description: 'AWS AppSync API key.',
    keywords: ['da2-'],
    pattern: prefixed('da2-[a-z0-9]{26}'),
    validate: hasLettersAndDigits,
    truePositives: [`aws_appsync_apiKey: 'da2-${fake(26, 'an')}'`],
    falsePositives: [{ text: 'da2-short', why: 'too short' }],
  },
  {
    id: 'aws-bedrock-api-key',
    description: 'Amazon Bedrock API keys: long-term ABSK… and short-term bedrock-api-key-… (base64 of the endpoint).',
    keywords: ['absk', 'bedrock-api-key-'],
    pattern: /(?<![A-Za-z0-9])(?<secret>ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-[A-Za-z0-9+/]{24,}={0,2})/,
    validate: (s) =>
      s.startsWith('ABSK')
        ? Buffer.from(s.slice(4), 'base64').toString('latin1').startsWith('BedrockAPIKey-')
        : Buffer.from(s.slice(16), 'base64').toString('latin1').startsWith('bedrock.amazonaws.com'),
    truePositives: [
      `ABSK${b64('BedrockAPIKey-' + fake(120, 'aAn'))}`,
      `bedrock-api-key-${b64('bedrock.amazonaws.com/?Action=CallWithBearerToken&' + fake(30))}`,
    ],
    falsePositives: [{ text: `bedrock-api-key-${b64('not.the.endpoint.example')}`, why: 'decodes to something other than the Bedrock endpoint' }],
  },
  {
    id: 'amazon-mws-auth-token',
    description: 'Amazon Marketplace Web Service auth token.',
    keywords: ['amzn.mws.'],
    pattern: /amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/,
    truePositives: [`MWS token: amzn.mws.${fakeUuid()}`],
    falsePositives: [{ text: 'amzn.mws.token-here', why: 'no uuid body' }],
  },
  {
    id: 'gcp-service-account',
    description: 'Google Cloud service-account key file (its private_key_id, or the key-file type marker).',
    keywords: ['service_account', 'private_key_id'],
    before: 24,
    pattern: /"(?:type"\s*:\s*"(?<secret>service_account)|private_key_id"\s*:\s*"(?<secret2>[a-f0-9]{40}))"/,
    truePositives: [`{"type": "service_account", "project_id": "demo"}`, `"private_key_id": "${fake(40, 'h')}"`],
    falsePositives: [{ text: '{"type": "authorized_user"}', why: 'user credentials file marker, not a service account' }],
  },
  {
    id: 'google-api-key',
    description: 'Google API key (AIza…).',
    keywords: ['aiza'],
    // Only in a quoted or assigned position: Google (Firebase) browser keys are public by design and are
    // pasted bare in SDK docs and samples; a key inside code or config is what leaks.
    pattern: /(?:[=:(,]\s*|["'`]|key=)(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/,
    validate: hasLettersAndDigits,
    truePositives: [`var DEVELOPER_KEY = 'AIza${fake(35, 'aAn_-')}';`],
    falsePositives: [
      { text: `AIza${fake(30)}`, why: 'too short' },
      { text: `AIza${fake(35)}`, why: 'bare value with no code or config around it (SDK documentation style)' },
      { text: `AIZASY${fake(33, 'An')}`, why: 'upper-cased: the prefix is case-sensitive' },
    ],
  },
  {
    id: 'google-oauth-client-secret',
    description: 'Google OAuth client secret (GOCSPX-…).',
    keywords: ['gocspx-'],
    pattern: prefixed('GOCSPX-[A-Za-z0-9_-]{28}'),
    truePositives: [`const CLIENT_SECRET = "GOCSPX-${fake(28, 'aAn_-')}"`],
    falsePositives: [{ text: 'GOCSPX-', why: 'prefix alone' }],
  },
  {
    id: 'google-oauth-access-token',
    description: 'Google OAuth 2.0 access token (ya29.…).',
    keywords: ['ya29.'],
    pattern: prefixed('ya29\\.[0-9A-Za-z_-]{30,}'),
    truePositives: [`access_token = 'ya29.${fake(60, 'aAn_-')}'`],
    falsePositives: [{ text: 'see ya29.example for details', why: 'too short to be a token' }],
  },
  {
    id: 'azure-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secret (xxx8Q~…).',
    keywords: ['q~'],
    before: 12,
    pattern: /(?:^|[\\'"`\s>=:(,)])(?<secret>[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\'"`\s<),])/,
    validate: hasLettersAndDigits,
    truePositives: [`"CLIENT_SECRET": "${fake(3)}8Q~${fake(34, 'aAn_.')}"`],
    falsePositives: [
      { text: `client_secret=Zq48Q~${'x'.repeat(34)}`, why: 'x-run placeholder' },
      { text: "'url': 'http://www.example.org/show~NEWS_2024110712~item-one~.html'", why: 'tilde-separated URL path' },
    ],
  },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account key / shared access key inside a connection string.',
    keywords: ['accountkey', 'sharedaccesskey=', 'sharedaccesssignature'],
    pattern: /(?:AccountKey|SharedAccessKey)\s*=\s*(?<secret>[A-Za-z0-9+/]{40,}={0,2})/i,
    minEntropy: 4,
    truePositives: [`DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${fake(86, 'aAn+')}==;EndpointSuffix=core.windows.net`],
    falsePositives: [
      { text: 'AccountName={0};AccountKey={1};', why: 'format-string placeholder' },
      { text: 'AccountName=<YOUR_ACCOUNT_NAME>;AccountKey=<YOUR_ACCOUNT_KEY>;', why: 'template placeholder' },
    ],
  },
  {
    id: 'azure-app-configuration-connection-string',
    description: 'Azure App Configuration connection string secret.',
    keywords: ['azconfig.io'],
    before: 48,
    pattern: /\.azconfig\.io;\s*Id=[^;\s]{1,80};\s*Secret=(?<secret>[A-Za-z0-9+/]{30,}={0,2})/,
    truePositives: [`Endpoint=https://demo.azconfig.io;Id=${fake(4, 'an')}-l0-s0:${fake(20)};Secret=${fake(43, 'aAn+')}=`],
    falsePositives: [{ text: 'Endpoint=https://example.azconfig.io;Id=xxx;Secret=xxx', why: 'documentation placeholder' }],
  },
  {
    id: 'azure-devops-personal-access-token',
    description: 'Azure DevOps personal access token (84-char format with its fixed JQQJ99 / AZDO markers, or legacy 52 base32 chars in context).',
    keywords: ['jqqj99', 'devops', '_pat', 'pat ', 'ado_', 'token'],
    pattern: new RegExp(
      '(?<![A-Za-z0-9])(?<secret>[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})(?![A-Za-z0-9])|' +
        assignment('devops|pat|ado|token', '[a-z2-7]{52}', '').source.replace('(?<secret>', '(?<secret2>'),
      'i',
    ),
    before: 100,
    // The 84-character format is found by its marker; the legacy one only where a name is assigned.
    around: (text, start, length) => (/^jqqj99/i.test(text.slice(start, start + 6)) ? [start - 100, start + length + 256] : assignmentAround(text, start)),
    validate: hasLettersAndDigits,
    truePositives: [`${fake(52)}JQQJ99${fake(18)}AZDO${fake(4)}`, `$token = "${fake(52, 'a234567')}"`],
    falsePositives: [{ text: `${fake(51)}JQQJ99${fake(18)}AZDO${fake(4)}`, why: 'one character short of the fixed layout' }],
  },
  {
    id: 'ibm-cloud-iam-key',
    description: 'IBM Cloud IAM API key (44 chars) assigned to an IBM / IAM / cloud key name.',
    keywords: ['iam_', 'iam-', 'iamapi', 'iamkey', 'iampass', 'iamtoken', 'ibm', 'cloud_', 'cloud-', 'cloudiam', 'cloudapi', 'cloudkey'],
    before: 48,
    pattern: assignment('(?:ibm|iam|cloud)[\\w-]{0,12}?(?:api[_-]?key|key|pwd|password|pass|token)', '[A-Za-z0-9_-]{44}'),
    truePositives: [`"iam_api_key": "${fake(44, 'aAn_-')}"`],
    falsePositives: [{ text: 'ibm-iam-key:=shortkey', why: 'too short' }],
  },
  {
    id: 'ibm-cos-hmac',
    description: 'IBM Cloud Object Storage HMAC secret access key (48 hex).',
    keywords: ['secret_access_key', 'secret-access-key', 'secretaccesskey', 'hmac', 'secret_key', 'secret-key'],
    before: 48,
    pattern: assignment('secret[_-]?access[_-]?key|hmac[\\w-]{0,20}?key|cos[\\w-]{0,10}?secret[_-]?key', '[a-f0-9]{48}'),
    truePositives: [`COS_HMAC_SECRET_ACCESS_KEY = "${fake(48, 'h')}"`],
    falsePositives: [{ text: `secret_access_key=${fake(48, 'h')}extra`, why: 'longer than 48: not the HMAC format' }],
  },
  {
    id: 'softlayer-key',
    description: 'IBM SoftLayer API key (64 lower-case alphanumerics) by name or in an API URL.',
    keywords: ['softlayer', 'sl_', 'sl-', 'slapi', 'slkey'],
    before: 48,
    pattern: new RegExp(
      assignment('(?:softlayer|sl)[_-]?(?:api[_-]?key|key|pwd|password|pass|token)', '[a-z0-9]{64}').source +
        '|--softlayer-api-key\\s+["\']?(?<secret3>[a-z0-9]{64})' +
        '|api\\.softlayer\\.com/(?:soap|rest)/v3(?:\\.1)?/(?<secret2>[a-z0-9]{64})',
      'i',
    ),
    truePositives: [`"softlayer_api_key": "${fake(64, 'an')}"`, `https://api.softlayer.com/soap/v3.1/${fake(64, 'an')}`],
    falsePositives: [{ text: 'softlayer_api_key: "put_your_key_here"', why: 'placeholder' }],
  },
  {
    id: 'cloudant-credential',
    description: 'IBM Cloudant password / API key by name, or inside an account URL.',
    keywords: ['cloudant', 'clou', 'cl_', 'cl-'],
    before: 100,
    pattern: new RegExp(
      assignment('(?:cloudant|clou|cl)[_-]?(?:api[_-]?key|key|pwd|pw|password|pass|token)', '[0-9a-f]{64}|[a-z]{24}').source +
        '|https?://[\\w-]+:(?<secret2>[0-9a-f]{64}|[a-z]{24})@[\\w-]+\\.cloudant\\.com',
      'i',
    ),
    truePositives: [`cloudant_password='${fake(64, 'h')}'`, `https://acct:${fake(64, 'h')}@acct.cloudant.com`],
    falsePositives: [{ text: 'cl_api_key = "not-a-real-key"', why: 'wrong length and shape' }],
  },
  {
    id: 'alibaba-access-key-id',
    description: 'Alibaba Cloud AccessKey id (LTAI…).',
    keywords: ['ltai'],
    pattern: prefixed('LTAI[a-zA-Z0-9]{20}'),
    validate: hasLettersAndDigits,
    truePositives: [`ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${fake(20)}`],
    falsePositives: [{ text: 'LTAI', why: 'prefix alone' }],
  },
  {
    id: 'digitalocean-personal-access-token',
    description: 'DigitalOcean personal access token.',
    keywords: ['dop_v1_'],
    pattern: prefixed('dop_v1_[a-f0-9]{64}'),
    truePositives: [`token = "dop_v1_${fake(64, 'h')}"`],
    falsePositives: [{ text: 'dop_v1_', why: 'prefix alone' }],
  },
  {
    id: 'digitalocean-application-access-token',
    description: 'DigitalOcean OAuth application access token.',
    keywords: ['doo_v1_'],
    pattern: prefixed('doo_v1_[a-f0-9]{64}'),
    truePositives: [`Authorization: Bearer doo_v1_${fake(64, 'h')}`],
    falsePositives: [{ text: 'doo_v1_abc', why: 'too short' }],
  },
  {
    id: 'digitalocean-refresh-token',
    description: 'DigitalOcean OAuth refresh token.',
    keywords: ['dor_v1_'],
    pattern: prefixed('dor_v1_[a-f0-9]{64}'),
    truePositives: [`"refresh_token": "dor_v1_${fake(64, 'h')}"`],
    falsePositives: [{ text: 'dor_v1_zz', why: 'too short' }],
  },
  {
    id: 'heroku-api-key',
    description: 'Heroku API key: HRKU- format, or a legacy UUID assigned to a Heroku-named variable.',
    keywords: ['hrku-', 'heroku'],
    before: 48,
    pattern: new RegExp(
      '(?<![A-Za-z0-9])(?<secret>HRKU-[A-Za-z0-9_-]{58,60})(?![A-Za-z0-9])|' +
        assignment('heroku', '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '').source.replace('(?<secret>', '(?<secret2>'),
      'i',
    ),
    truePositives: [`API_Key = "HRKU-AA${fake(58, 'aAn_-')}"`, `const HEROKU_KEY = "${fakeUuid()}"`],
    falsePositives: [{ text: `curl https://kolkrabbi.heroku.com/apps/${fakeUuid()}/github/push`, why: 'app id in a URL path, not assigned' }],
  },
  {
    id: 'openshift-token',
    description: 'OpenShift user / service-account OAuth token (sha256~…).',
    keywords: ['sha256~'],
    pattern: /(?<![A-Za-z0-9])(?<secret>sha256~[\w-]{43})(?![\w-])/,
    validate: hasLettersAndDigits,
    truePositives: [`oc login --token=sha256~${fake(43, 'aAn_-')}`],
    falsePositives: [{ text: 'token="sha256~XXXXXXXXXX_PUT_YOUR_TOKEN_HERE_XXXXXXXXXXXX"', why: 'placeholder' }],
  },
  {
    id: 'kubernetes-bootstrap-token',
    description: 'Kubernetes bootstrap token (id.secret) in a bootstrap-token context, or its token-secret field.',
    keywords: ['bootstrap', 'token-secret'],
    before: 24,
    pattern:
      /(?:bootstrap[_-]?token)["']?\s*[:= ]\s*["']?(?<secret>[a-z0-9]{6}\.[a-z0-9]{16})(?![a-z0-9])|token-secret:\s*["']?(?<secret2>[a-z0-9]{16})(?![a-z0-9])/i,
    truePositives: [`kubeadm join --tls-bootstrap-token ${fake(6, 'an')}.${fake(16, 'an')}`, `token-id: ${fake(6, 'an')}\ntoken-secret: ${fake(16, 'an')}`],
    falsePositives: [{ text: `kubeadm token create ${fake(6, 'an')}.${fake(16, 'an')}`, why: 'no bootstrap-token context' }],
  },
];
