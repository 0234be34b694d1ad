/** Source hosting and issue trackers: GitHub, GitLab, Bitbucket, Atlassian, Sourcegraph, Linear. */
import type { SecretRule } from '../rule.js';
import { assignment, prefixed } from '../rule.js';
import { fake } from '../sample.js';
import { entropy, githubTokenWithChecksum, hasLettersAndDigits, prefixedCrcValid } from '../validate.js';

const gh = (prefix: string) => githubTokenWithChecksum(prefix, fake(30));

export const vcsRules: SecretRule[] = [
  {
    id: 'github-pat',
    description: 'GitHub classic personal access token (ghp_), or a 40-hex legacy token assigned to a GitHub-named variable.',
    keywords: ['ghp_', 'github'],
    before: 48,
    pattern: new RegExp(
      '(?<![A-Za-z0-9])(?<secret>ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9])|' +
        assignment('github[\\w-]{0,20}?(?:token|secret|pat|key)', '[a-f0-9]{40}', '').source.replace('(?<secret>', '(?<secret2>'),
      'i',
    ),
    validate: hasLettersAndDigits,
    checksum: prefixedCrcValid,
    truePositives: [`GITHUB_KEY=${gh('ghp_')}`, `GITHUB_SECRET=${fake(40, 'h')}`],
    falsePositives: [
      { text: 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', why: 'placeholder' },
      { text: `gXX_${fake(36)}`, why: 'not a GitHub prefix' },
    ],
  },
  {
    id: 'github-oauth-token',
    description: 'GitHub OAuth access token (gho_).',
    keywords: ['gho_'],
    pattern: prefixed('gho_[A-Za-z0-9]{36}'),
    checksum: prefixedCrcValid,
    truePositives: [`oauth_token: ${gh('gho_')}`],
    falsePositives: [{ text: 'gho_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', why: 'placeholder' }],
  },
  {
    id: 'github-app-token',
    description: 'GitHub App user-to-server (ghu_) and installation (ghs_) tokens, including the JWT-shaped ghs_ variant.',
    keywords: ['ghu_', 'ghs_'],
    before: 8,
    pattern: /(?<![A-Za-z0-9])(?<secret>gh[us]_(?:[A-Za-z0-9]{36}|\d+_eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*))(?![A-Za-z0-9])/,
    checksum: prefixedCrcValid,
    truePositives: [`"token": "${gh('ghs_')}"`, `git clone https://x-access-token:${gh('ghu_')}@github.com/o/r.git`],
    falsePositives: [{ text: 'ghs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', why: 'placeholder' }],
  },
  {
    id: 'github-refresh-token',
    description: 'GitHub refresh token (ghr_).',
    keywords: ['ghr_'],
    pattern: prefixed('ghr_[A-Za-z0-9]{36,76}'),
    checksum: prefixedCrcValid,
    truePositives: [`"refresh_token": "ghr_${fake(76)}"`, `"refresh_token": "${gh('ghr_')}"`],
    falsePositives: [{ text: 'ghr_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', why: 'placeholder' }],
  },
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token (github_pat_).',
    keywords: ['github_pat_'],
    pattern: prefixed('github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
    truePositives: [`github_pat_11${fake(20)}_${fake(59)}`],
    falsePositives: [{ text: 'github_pat_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', why: 'placeholder' }],
  },
  {
    id: 'gitlab-token',
    description: 'GitLab tokens: personal/project/group (glpat-), deploy, runner, CI job, agent, feed, incoming mail, SCIM, OAuth app secrets, runner registration (GR1348941).',
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glptt-', 'glft-', 'glimt-', 'glagent-', 'glsoat-', 'gloas-', 'glffct-', 'gr1348941', 'glrtr-'],
    pattern:
      /(?<![A-Za-z0-9])(?<secret>(?:glpat-[\w-]{20}(?:\.[\w]{2}\.[\w]{9})?|glpat-[\w-]{27,300}|gldt-[\w-]{20,}|glrtr?-[\w-]{20,}|glcbt-(?:[\w]{1,5}_)?[\w-]{20,}|glptt-[\w-]{40}|glft-[\w-]{20,}|glimt-[\w-]{25}|glagent-[\w-]{50,1024}|glsoat-[\w-]{20,}|gloas-[\w-]{64}|glffct-[\w-]{20,}|GR1348941[\w-]{20,})(?![\w-]))/,
    // The random part (after the prefix) mixes letters and digits, and does not end on a separator.
    validate: (s) => entropy(s.replace(/^(?:GR1348941|gl[a-z]+-)/, '')) >= 3 && !/^\d+$/.test(s.replace(/^(?:GR1348941|gl[a-z]+-)/, '')) && !/[_-]$/.test(s),
    truePositives: [`private_token = glpat-${fake(20, 'aAn_-')}`, `runner: GR1348941${fake(20, 'aAn_')}`, `glagent-${fake(50, 'aAn_-')}`],
    falsePositives: [
      { text: 'glpat-XXXXXXXXXXX-XXXXXXXX', why: 'placeholder' },
      { text: 'GR1348941shortOne1', why: 'too short for a registration token' },
    ],
  },
  {
    id: 'bitbucket-app-password',
    description: 'Atlassian Bitbucket app password / repository access token (ATBB / ATCTT).',
    keywords: ['atbb', 'atctt'],
    pattern: prefixed('(?:ATBB[a-zA-Z0-9]{32}|ATCTT3xFfGN0[A-Za-z0-9_=-]{150,250})'),
    validate: hasLettersAndDigits,
    truePositives: [`BITBUCKET_APP_PASSWORD=ATBB${fake(32)}`],
    falsePositives: [{ text: 'ATBB', why: 'prefix alone' }],
  },
  {
    id: 'atlassian-token',
    description: 'Atlassian API token (ATATT3…), or a 24-char legacy token assigned to a Jira/Confluence/Atlassian name.',
    keywords: ['atatt3', 'jira', 'confluence', 'atlassian'],
    before: 48,
    pattern: new RegExp(
      '(?<![A-Za-z0-9])(?<secret>ATATT3[A-Za-z0-9_=-]{186,220})(?![A-Za-z0-9_=-])|' +
        assignment('(?:jira|confluence|atlassian)[\\w-]{0,20}?(?:token|key|secret|pass)', '[A-Za-z0-9]{24}', '').source.replace('(?<secret>', '(?<secret2>'),
      'i',
    ),
    validate: hasLettersAndDigits,
    truePositives: [`api_token = 'ATATT3xFfGF0${fake(180, 'aAn_-')}=${fake(8, 'H')}'`, `JIRA_API_TOKEN=${fake(24)}`],
    falsePositives: [{ text: 'listConfluencePages,readConfluencePageById', why: 'identifiers, no assignment' }],
  },
  {
    id: 'sourcegraph-token',
    description: 'Sourcegraph access token (sgp_ with optional instance id, 40 hex).',
    keywords: ['sgp_', 'sourcegraph'],
    before: 48,
    pattern: new RegExp(
      '(?<![A-Za-z0-9])(?<secret>sgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40})(?![A-Za-z0-9_])|' +
        assignment('sourcegraph[\\w-]{0,20}?', '[a-fA-F0-9]{40}', '').source.replace('(?<secret>', '(?<secret2>'),
      'i',
    ),
    truePositives: [`SRC_ACCESS_TOKEN=sgp_${fake(40, 'h')}`, `sgp_local_${fake(40, 'H')}`],
    falsePositives: [{ text: `sgp_${fake(20, 'h')}!${fake(19, 'h')}`, why: 'non-hex character inside' }],
  },
  {
    id: 'linear-api-key',
    description: 'Linear API key.',
    keywords: ['lin_api_'],
    pattern: prefixed('lin_api_[a-zA-Z0-9]{40}'),
    truePositives: [`LINEAR_API_KEY=lin_api_${fake(40)}`],
    falsePositives: [{ text: `lin_api_${fake(33)}EXAMPLE`, why: 'documentation example' }],
  },
  {
    id: 'gitalk-oauth-credentials',
    description: 'Gitalk comment-widget GitHub OAuth client secret embedded in page code.',
    keywords: ['gitalk'],
    before: 24,
    pattern: /new\s+Gitalk\s*\(\s*\{[^}]{0,200}?["']?clientSecret["']?\s*:\s*["'](?<secret>[a-f0-9]{40})["']/,
    after: 400,
    truePositives: [`new Gitalk({\n  clientID: '${fake(20, 'h')}',\n  clientSecret: '${fake(40, 'h')}',\n})`],
    falsePositives: [{ text: 'new Gitalk({ clientID: id, clientSecret: process.env.SECRET })', why: 'read from the environment' }],
  },
];
