/** Payments and commerce: Stripe, Square, Shopify, PayPal/Braintree, Plaid, Adyen-style keys. */
import type { SecretRule } from '../rule.js';
import { prefixed } from '../rule.js';
import { fake } from '../sample.js';
import { hasLettersAndDigits } from '../validate.js';

export const paymentRules: SecretRule[] = [
  {
    id: 'stripe-key',
    description: 'Stripe secret and restricted keys (sk_/rk_ live|test|prod). Publishable pk_ keys are public and not flagged.',
    keywords: ['sk_live', 'sk_test', 'rk_live', 'rk_test', 'sk_prod', 'rk_prod', 'whsec_'],
    pattern: /(?<![A-Za-z0-9])(?<secret>(?:[sr]k_(?:live|test|prod)_[A-Za-z0-9]{20,247})|whsec_[A-Za-z0-9]{32,})(?![A-Za-z0-9])/,
    validate: hasLettersAndDigits,
    truePositives: [`STRIPE_SECRET_KEY=sk_live_${fake(24)}`, `rk_prod_${fake(99)}`],
    falsePositives: [
      { text: `pk_live_${fake(24)}`, why: 'publishable key: meant to be public' },
      { text: `STRIPE_KEY=sk_live_${'B'.repeat(24)}`, why: 'placeholder' },
      { text: `foosk_test_${fake(24)}`, why: 'inside a longer word' },
    ],
  },
  {
    id: 'square-token',
    description: 'Square access token (EAAA…, sq0atp-) and OAuth secret (sq0csp-).',
    keywords: ['sq0atp-', 'sq0csp-', 'eaaa'],
    pattern: /(?<![A-Za-z0-9])(?<secret>sq0atp-[0-9A-Za-z_-]{22}|sq0csp-[0-9A-Za-z\\_-]{43}|EAAA[a-zA-Z0-9_+=-]{60})(?![A-Za-z0-9])/,
    validate: hasLettersAndDigits,
    truePositives: [`ARG token=sq0atp-${fake(22, 'aAn_-')}`, `token=EAAA${fake(60, 'aAn_-')}`],
    falsePositives: [{ text: `eaaa${fake(36, 'h')}`, why: 'lower-case: a digest, not a Square token' }],
  },
  {
    id: 'shopify-token',
    description: 'Shopify access tokens and shared secrets (shpat_, shpca_, shppa_, shpss_).',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: prefixed('shp(?:at|ca|pa|ss)_[a-zA-Z0-9]{32,40}'),
    validate: hasLettersAndDigits,
    truePositives: [`SHOPIFY_API_SECRET: shpss_${fake(32, 'h')}`, `X-Shopify-Access-Token: shpat_${fake(32, 'h')}`],
    falsePositives: [{ text: 'shpss_TOKEN_GOES_HERE is not an api key', why: 'no hex body' }],
  },
  {
    id: 'paypal-braintree-access-token',
    description: 'PayPal / Braintree production access token.',
    keywords: ['access_token$production$'],
    pattern: /access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}/,
    truePositives: [`BT_TOKEN=access_token$production$${fake(16, 'an')}$${fake(32, 'h')}`],
    falsePositives: [{ text: 'access_token$production$', why: 'prefix alone' }],
  },
  {
    id: 'plaid-token',
    description: 'Plaid access token.',
    keywords: ['access-production-', 'access-sandbox-', 'access-development-'],
    pattern: /(?<secret>access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/,
    truePositives: [`plaid_token = "access-production-${fake(8, 'h')}-${fake(4, 'h')}-4${fake(3, 'h')}-a${fake(3, 'h')}-${fake(12, 'h')}"`],
    falsePositives: [{ text: 'access-production-', why: 'prefix alone' }],
  },
  {
    id: 'easypost-api-token',
    description: 'EasyPost production / test API key.',
    keywords: ['ezak', 'eztk'],
    pattern: prefixed('EZ[AT]K[a-zA-Z0-9]{54}'),
    truePositives: [`EASYPOST_API_KEY=EZAK${fake(54)}`],
    falsePositives: [{ text: `...6wqX6fNUXA/rYqRvfQ+EZAKGq${fake(20)}...`, why: 'inside a base64 blob' }],
  },
  {
    id: 'shippo-api-token',
    description: 'Shippo API token.',
    keywords: ['shippo_live_', 'shippo_test_'],
    pattern: prefixed('shippo_(?:live|test)_[a-fA-F0-9]{40}'),
    truePositives: [`SHIPPO_TOKEN=shippo_live_${fake(40, 'h')}`],
    falsePositives: [{ text: 'shippo_live_', why: 'prefix alone' }],
  },
  {
    id: 'flutterwave-secret-key',
    description: 'Flutterwave secret key.',
    keywords: ['flwseck'],
    pattern: prefixed('FLWSECK(?:_TEST)?-[a-h0-9]{32}-X'),
    truePositives: [`FLWSECK_TEST-${fake(32, 'h')}-X`],
    falsePositives: [{ text: 'FLWSECK_TEST-', why: 'prefix alone' }],
  },
];
