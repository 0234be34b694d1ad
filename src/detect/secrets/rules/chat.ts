/** Chat, messaging, e-mail and social APIs: Slack, Discord, Telegram, Teams, Twilio, SendGrid, Mailgun, Mailchimp… */
import type { SecretRule } from '../rule.js';
import { assignment } from '../rule.js';
import { fake, fakeUuid } from '../sample.js';
import { entropy, hasLettersAndDigits } from '../validate.js';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';


const URL_SAFE = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
const LOWER_HEX = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);

/** End of the run of `chars` starting at `start`, reading at most `max` characters. */
function runOf(text: string, start: number, chars: (c: number) => boolean, max: number): number {
  let i = start;
  while (i < text.length && i - start < max && chars(text.charCodeAt(i))) i++;
  return i;
}

export const chatRules: SecretRule[] = [
  {
    id: 'slack-token',
    description: 'Slack bot/user/app/config/legacy tokens (xoxb-, xoxp-, xoxa-, xoxe-, xoxs-, xoxo-, xoxr-, xapp-).',
    keywords: ['xox', 'xapp-'],
    pattern:
      /(?<![A-Za-z0-9])(?<secret>xox[baprseo](?:\.xox[bp])?-(?:\d+-)?[0-9A-Za-z-]{10,250}|xoxe\.xox[bp]-\d-[A-Z0-9]{146,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)(?![A-Za-z0-9-])/,
    validate: (s) => /[a-z0-9]{10,}/i.test(s.replace(/^x[a-z]+-/, '')) && hasLettersAndDigits(s.slice(5)) && /-\w*[a-f0-9]{8,}|[A-Za-z0-9]{20,}/.test(s),
    truePositives: [`SLACK_BOT_TOKEN=xoxb-${fake(12, 'n')}-${fake(13, 'n')}-${fake(24)}`, `"token": "xoxp-${fake(11, 'n')}-${fake(11, 'n')}-${fake(12, 'n')}-${fake(32, 'h')}"`],
    falsePositives: [
      { text: '"slack": "xoxb-9876543210"', why: 'numbers only, no secret part' },
      { text: 'xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx', why: 'placeholder' },
    ],
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming-webhook / workflow URL.',
    keywords: ['hooks.slack.com'],
    before: 16,
    pattern: /(?<secret>(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{40,})/,
    validate: (s) => entropy(s.split('/').slice(-1)[0] ?? '') >= 3,
    truePositives: [`https://hooks.slack.com/services/T${fake(8, 'An')}/B${fake(8, 'An')}/${fake(24)}`],
    falsePositives: [{ text: `https://hooks.slack.com/workflows/T0000/A0000/${'X'.repeat(44)}`, why: 'placeholder' }],
  },
  {
    id: 'discord-token',
    description: 'Discord bot/user token (base64 user id . timestamp . HMAC).',
    keywords: [],
    // The first part is base64 of a numeric user id, so it starts with the encoding of a digit 1-9.
    anchors: ['MT', 'Mj', 'Mz', 'ND', 'NT', 'Nj', 'Nz', 'OD', 'OT', 'AT'],
    pattern: /(?<![A-Za-z0-9])(?<secret>[MNOA][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,38})(?![A-Za-z0-9_.-])/,
    before: 40,
    after: 80,
    // Two-letter anchors start every other capitalised word: only a 24–26 character run ending in `.` counts.
    around: (text, start) => {
      const end = runOf(text, start, URL_SAFE, 27);
      return end - start >= 24 && end - start <= 26 && text.charCodeAt(end) === 46 ? [start, start + 80] : undefined;
    },
    truePositives: [`DISCORD_TOKEN=MTA${fake(23, 'aAn')}.G${fake(5, 'aAn')}.${fake(38, 'aAn_-')}`],
    falsePositives: [{ text: `MZ1y${fake(19)}.${fake(5)}.${fake(30)}`, why: 'middle part has 5 chars, not 6' }],
  },
  {
    id: 'telegram-bot-token',
    description: 'Telegram bot token (bot id : AA…).',
    keywords: [':aa'],
    pattern: /(?<![A-Za-z0-9_:])(?<secret>\d{8,10}:AA[0-9A-Za-z_-]{32,33})(?![A-Za-z0-9_-])/,
    before: 12,
    truePositives: [`TELEGRAM_TOKEN=${fake(10, 'n')}:AA${fake(33, 'aAn_-')}`],
    falsePositives: [
      { text: `bot${fake(9, 'n')}:AA${fake(33, 'aAn_-')}`, why: 'preceded by letters: part of a longer identifier' },
      { text: `foo:AA${fake(33, 'aAn_-')}`, why: 'no numeric bot id' },
    ],
  },
  {
    id: 'microsoft-teams-webhook',
    description: 'Microsoft Teams / Office 365 incoming webhook URL.',
    keywords: ['webhook.office.com', 'outlook.office.com/webhook', 'webhookb2'],
    pattern: new RegExp(
      `(?<secret>https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/${UUID}@${UUID}/[A-Za-z0-9]+/[a-z0-9]{32}/${UUID}(?:/[\\w-]+)?|https://outlook\\.office\\.com/webhook/${UUID}@${UUID}/[A-Za-z0-9]+/[a-f0-9]{32}/${UUID})`,
      'i',
    ),
    before: 40,
    truePositives: [`https://outlook.office.com/webhook/${fakeUuid()}@${fakeUuid()}/IncomingWebhook/${fake(32, 'h')}/${fakeUuid()}`],
    falsePositives: [{ text: 'https://outlook.office.com/webhook/', why: 'no ids' }],
  },
  {
    id: 'twilio-key',
    description: 'Twilio API key SID (SK…) and account SID (AC…) with 32 hex.',
    keywords: [],
    anchors: ['SK', 'AC'],
    pattern: /(?<![A-Za-z0-9])(?<secret>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])/,
    around: (text, start) => (runOf(text, start + 2, LOWER_HEX, 33) - start === 34 ? [start, start + 35] : undefined),
    validate: hasLettersAndDigits,
    truePositives: [`const twilioApiKeySID = 'SK${fake(32, 'h')}'`],
    falsePositives: [{ text: 'SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', why: 'placeholder' }],
  },
  {
    id: 'sendgrid-api-key',
    description: 'SendGrid API key (SG.<22>.<43>).',
    keywords: ['sg.'],
    pattern: /(?<![A-Za-z0-9])(?<secret>SG\.[\w-]{22}\.[\w-]{43})(?![\w-])/,
    truePositives: [`SENDGRID_API_KEY='SG.${fake(22, 'aAn_-')}.${fake(43, 'aAn_-')}'`],
    falsePositives: [{ text: `SG.${fake(22)}..${fake(43)}`, why: 'two dots: malformed' }],
  },
  {
    id: 'mailgun-api-key',
    description: 'Mailgun private API key (key-…) and webhook signing key.',
    keywords: ['key-', 'mailgun'],
    pattern: /(?<![A-Za-z0-9-])(?<secret>key-[0-9a-z]{32})(?![A-Za-z0-9])/,
    validate: hasLettersAndDigits,
    truePositives: [`var apiKey = process.env.MAILGUN_API || 'key-${fake(32, 'h')}'`],
    falsePositives: [{ text: 'cache-key-ttl', why: 'no 32-char body' }],
  },
  {
    id: 'mailchimp-api-key',
    description: 'Mailchimp API key (32 hex + data-center suffix -usNN).',
    keywords: ['-us'],
    pattern: /(?<![A-Za-z0-9])(?<secret>[0-9a-f]{32}-us\d{1,2})(?![A-Za-z0-9])/,
    before: 40,
    after: 8,
    truePositives: [`MAILCHIMP_KEY = "${fake(32, 'h')}-us18"`],
    falsePositives: [
      { text: `${fake(32, 'h')}-2`, why: 'no -us data-center suffix' },
      { text: `${fake(32, 'h').toUpperCase()}-us2`, why: 'upper-case hex: Mailchimp keys are lower-case' },
    ],
  },
  {
    id: 'postmark-api-token',
    description: 'Postmark server / account token (UUID) in a Postmark context.',
    keywords: ['postmark'],
    before: 48,
    pattern: new RegExp(`postmark[\\w-]*["']?\\s*[:=]\\s*(?:\\{[^}]{0,200}?)?["'](?<secret>${UUID})["']`, 'i'),
    truePositives: [`"X-Postmark-Server-Token": "${fakeUuid()}"`, `postmark: "${fakeUuid()}",`],
    falsePositives: [{ text: 'postmark: process.env.POSTMARK_TOKEN', why: 'environment reference' }],
  },
  {
    id: 'messagebird-key',
    description: 'MessageBird access key / client id assigned to a MessageBird-named variable.',
    keywords: ['messagebird', 'message_bird', 'message-bird'],
    before: 48,
    pattern: assignment('message[_-]?bird[\\w-]{0,20}?(?:key|token|id|secret)?', `${UUID}|[A-Za-z0-9]{25}`),
    truePositives: [`const MessageBirdClientID = "${fakeUuid()}"`],
    falsePositives: [{ text: 'const MessageBirdClientID = process.env.MB_ID', why: 'environment reference' }],
  },
  {
    id: 'twitter-token',
    description: 'Twitter / X API secret or bearer token assigned to a Twitter-named variable.',
    keywords: ['twitter'],
    before: 48,
    pattern: assignment('twitter[\\w-]{0,20}?(?:secret|token|key)', '[A-Za-z0-9%]{35,120}'),
    truePositives: [`TWITTER_API_SECRET = '${fake(42)}'`, `twitter_consumer_secret: "${fake(50)}"`],
    falsePositives: [{ text: `TWITTER_ID: "${fake(20)}"`, why: 'an id, and too short' }],
  },
  {
    id: 'facebook-token',
    description: 'Facebook / Meta Graph API access token (EAA…).',
    keywords: ['eaa', 'facebook'],
    before: 48,
    pattern: new RegExp(
      '(?<![A-Za-z0-9])(?<secret>EAA[A-Za-z0-9]{5,}[A-Za-z0-9]{60,})(?![A-Za-z0-9])' +
        // App access token `app_id|app_secret`, and a 32-hex app secret assigned to a Facebook name.
        '|facebook[^\\n]{0,30}?(?<secret2>\\d{15,16}\\|[\\w-]{27})(?![\\w-])' +
        '|' + assignment('facebook[\\w.-]{0,20}?(?:key|secret|token)', '[a-f0-9]{32}').source.replace('(?<secret>', '(?<secret3>'),
      'i',
    ),
    // The pattern is case-insensitive for the key names; the EAA prefix itself is not.
    validate: (s) => !/^eaa/i.test(s) || (s.startsWith('EAA') && /[A-Z]/.test(s.slice(3)) && /[a-z]/.test(s) && /\d/.test(s)),
    truePositives: [`facebook ${fake(16, 'n')}|${fake(27, 'aAn_')}`, `FACEBOOK_TOKEN: "EAACEdEose0cBA${fake(120)}"`],
    falsePositives: [{ text: `eaaa${fake(36, 'h')}`, why: 'lower-case hex digest' }],
  },
  {
    id: 'linkedin-secret-key',
    description: 'LinkedIn OAuth client secret assigned to a LinkedIn-named variable.',
    keywords: ['linkedin'],
    before: 48,
    pattern: assignment('linkedin[\\w-]{0,20}?(?:secret|key)', '[A-Za-z0-9]{16}'),
    validate: (s) => hasLettersAndDigits(s) && /[A-Z]/.test(s),
    truePositives: [`LINKEDIN_SECRET = "${fake(16)}"`],
    falsePositives: [{ text: 'LINKEDIN_SECRET = os.environ["LI_SECRET"]', why: 'environment reference' }],
  },
  {
    id: 'twitch-stream-key',
    description: 'Twitch stream key (live_<user id>_<30 chars>).',
    keywords: ['live_'],
    pattern: /(?<![A-Za-z0-9])(?<secret>live_\d{6,12}_[A-Za-z0-9]{30})(?![A-Za-z0-9])/,
    truePositives: [`STREAM_KEY=live_${fake(9, 'n')}_${fake(30)}`],
    falsePositives: [{ text: `live_${fake(9, 'n')}_${fake(25)}`, why: 'too short' }],
  },
  {
    id: 'zoom-token',
    description: 'Zoom JWT / server-to-server secret assigned to a Zoom-named variable.',
    keywords: ['zoom'],
    before: 48,
    pattern: assignment('zoom[\\w-]{0,20}?(?:secret|token)', '[A-Za-z0-9]{32,36}'),
    validate: hasLettersAndDigits,
    truePositives: [`ZOOM_CLIENT_SECRET=${fake(32)}`],
    falsePositives: [{ text: 'ZOOM_CLIENT_SECRET=', why: 'empty' }],
  },
];
