// A police referral for tests and the benchmark: one person who has posted to the council's
// X and Facebook accounts for months, with restriction history and an audit trail.

import { generateKeyPairSync } from 'node:crypto';
import { nextAuditEntry, sha256Hex, type AuditEntry, type EvidenceItem, type ReferralCase } from '../../core/evidence';

export const SCRIPT_COMMENT = '<script>alert(1)</script> you will regret this';
export const ARABIC_COMMENT = 'سوف نجدك أيها الكاذب';
export const HEBREW_COMMENT = 'אנחנו יודעים איפה אתה גר';

export function councilSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export const referral: ReferralCase = {
  id: '6650f1c2a9e4b1d2c3f4a5b6',
  reference: 'PR-2026-0042',
  person: {
    personId: 'person-17',
    name: 'Daniel Example',
    otherNames: ['Dan Example'],
    accounts: [
      { platform: 'x', accountId: '1456789012345', handle: 'angry_ratepayer' },
      { platform: 'facebook', accountId: '100012345678901' },
    ],
  },
  restrictionHistory: [
    { at: new Date('2025-11-03T10:15:00Z'), restrictionId: 'R-2025-118', event: 'proposed', kinds: ['social_media_block'], by: 'A Clerk, Communications' },
    { at: new Date('2025-11-05T16:00:00Z'), restrictionId: 'R-2025-118', event: 'approved', kinds: ['social_media_block'], by: 'J Smith, Assistant Director' },
    { at: new Date('2025-11-06T09:00:00Z'), restrictionId: 'R-2025-118', event: 'confirmed_in_writing', kinds: ['social_media_block'], by: 'A Clerk, Communications', note: 'Letter sent first class' },
  ],
  suspectedOffences: ['malicious_communications_act_1988_s1', 'communications_act_2003_s127'],
  hateCrimeCategories: ['religion'],
  officerReasons: 'Repeated threats of violence towards named staff after the block, continuing from new accounts.',
  referringOfficer: { id: 'officer-3', name: 'Alex Brown Carter', jobTitle: 'Evidence Officer', initials: 'ABC' },
  policeForce: 'West Yorkshire Police',
  crimeReference: '13/123456/26',
  status: 'sent',
  sentAt: new Date('2026-03-02T09:00:00Z'),
};

export const createdBy = { id: 'officer-3', name: 'Alex Brown Carter' };
export const packTime = new Date('2026-03-02T08:30:00Z');

/** An X API v2 payload as the platform sends it: its own key order and spacing, kept byte for byte. */
function xPayload(id: string, text: string, createdAt: Date): string {
  return `{"data":{"id":"${id}","text":${JSON.stringify(text)},"author_id":"1456789012345","created_at":"${createdAt.toISOString()}","conversation_id":"1700000000000000000"},  "includes":{"users":[{"id":"1456789012345","username":"angry_ratepayer","name":"Dan E"}]}}`;
}

export function evidenceItem(n: number, text: string, createdAt: Date, overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  const externalId = `17${String(1000000000000000 + n)}`;
  const rawPayload = overrides.rawPayload ?? xPayload(externalId, text, createdAt);
  return {
    exhibit: `ABC/${n}`,
    platform: 'x',
    externalId,
    accountId: '1456789012345',
    handle: 'angry_ratepayer',
    displayName: 'Dan E',
    text,
    permalink: `https://x.com/angry_ratepayer/status/${externalId}`,
    createdAt,
    capturedAt: new Date(createdAt.getTime() + 42_000),
    capturedVia: 'X API v2 mentions timeline (polled every minute)',
    rawPayload,
    rawPayloadSha256: sha256Hex(rawPayload),
    flags: [{ category: 'threat', reason: 'threat of violence against a person', offences: ['malicious_communications_act_1988_s1', 'communications_act_2003_s127'] }],
    threadContext: [],
    platformGone: [],
    ...overrides,
  };
}

/** The items a referral test relies on: markup, Arabic, Hebrew, a thread, and a deleted comment. */
export function notableItems(): EvidenceItem[] {
  return [
    evidenceItem(1, 'You lot at the council are liars and I will be waiting outside the town hall.', new Date('2026-01-05T18:20:11Z')),
    evidenceItem(2, SCRIPT_COMMENT, new Date('2026-02-14T07:45:00Z'), {
      threadContext: [
        {
          relation: 'post',
          externalId: '1699999999999999999',
          accountId: '99',
          handle: 'ExampleCouncil',
          text: 'Bin collections are running a day late this week.',
          createdAt: new Date('2026-02-13T09:00:00Z'),
        },
      ],
    }),
    evidenceItem(3, ARABIC_COMMENT, new Date('2026-06-20T21:05:30Z'), {
      flags: [{ category: 'hate', reason: 'threatening language about religion', target: 'religion', offences: ['public_order_act_1986_part3a', 'malicious_communications_act_1988_s1'] }],
    }),
    evidenceItem(4, HEBREW_COMMENT, new Date('2026-02-20T12:00:00Z'), {
      platform: 'facebook',
      accountId: '100012345678901',
      handle: undefined,
      displayName: 'Daniel Example',
      permalink: 'https://www.facebook.com/ExampleCouncil/posts/123?comment_id=456',
      capturedVia: 'Facebook Graph API page feed webhook',
      platformGone: [{ checkedAt: new Date('2026-02-25T08:00:00Z'), status: 'deleted', detail: 'HTTP 400: Unsupported get request (code 100)' }],
    }),
  ];
}

export function auditTrail(): AuditEntry[] {
  const events: Pick<AuditEntry, 'at' | 'actor' | 'action' | 'subject' | 'details'>[] = [
    { at: new Date('2026-02-28T10:00:00Z'), actor: 'officer-3', action: 'referral.drafted', subject: { type: 'referral', id: 'PR-2026-0042' }, details: { items: 4 } },
    { at: new Date('2026-03-01T11:30:00Z'), actor: 'officer-3', action: 'referral.offences_recorded', subject: { type: 'referral', id: 'PR-2026-0042' }, details: { offences: ['malicious_communications_act_1988_s1'] } },
    { at: new Date('2026-03-02T08:29:00Z'), actor: 'officer-3', action: 'evidence_pack.requested', subject: { type: 'referral', id: 'PR-2026-0042' }, details: { note: 'for West Yorkshire Police' } },
  ];
  const entries: AuditEntry[] = [];
  for (const e of events) entries.push(nextAuditEntry(entries[entries.length - 1], e));
  return entries;
}

const BULK_TEXTS = [
  'Nobody at the council listens. I know where the planning officer parks.',
  'Another pointless consultation. You will all be sorry when I come to the meeting.',
  'رسالة أخرى إلى المجلس: سنرى من يضحك أخيرا',
  'This is the fifth time I have written about the potholes on Mill Lane and nobody answers me.',
  'אתם תשלמו על זה',
];

/** A bulk pack of one person across months: `count` items, several a day, spread over ~9 months. */
export async function* bulkItems(count: number, start = new Date('2025-06-02T08:00:00Z')): AsyncGenerator<EvidenceItem> {
  const spanMs = 270 * 24 * 3600 * 1000;
  for (let n = 1; n <= count; n++) {
    const createdAt = new Date(start.getTime() + Math.floor((spanMs * (n - 1)) / count) + ((n * 7919) % 3600) * 1000);
    yield evidenceItem(n, `${BULK_TEXTS[n % BULK_TEXTS.length]} (#${n})`, createdAt);
  }
}
