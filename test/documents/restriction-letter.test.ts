import { Conflict, ValidationFailed } from '../../core/errors';
import { RESTRICTION_KINDS, RESTRICTION_KIND_LABELS } from '../../core/restriction';
import {
  restrictionLetterPdf,
  type RestrictionLetterInput,
} from '../../documents/letters/restriction-letter';
import { RESTRICTION_KIND_EXPLANATIONS } from '../../documents/letters/restriction-wording';
import { pdfText } from './pdf-text';

const letter: RestrictionLetterInput = {
  council: {
    name: 'Example District Council',
    addressLines: ['Town Hall', 'High Street', 'Exampleton EX1 1AA'],
  },
  recipient: { name: 'Mr Robin Grey', addressLines: ['12 Mill Lane', 'Exampleton EX1 2BB'] },
  reference: 'UCB-2026-014',
  letterDate: new Date('2026-03-02T10:00:00Z'),
  restriction: {
    kinds: ['phone_days_times', 'named_contact', 'no_public_participation', 'social_media_block'],
    scope: { level: 'council' },
    status: 'active',
    approvedAt: new Date('2026-02-27T12:00:00Z'),
    reviewDue: new Date('2026-08-27T12:00:00Z'),
  },
  arrangements: {
    phone_days_times:
      'You can telephone on Tuesdays and Thursdays, between 10am and midday, on 01632 960 000.',
  },
  reasons: [
    'On 3 February 2026 you shouted at and swore at staff at the customer service centre.',
    'Between January and February 2026 you posted threatening comments about a named officer on our Facebook page.',
  ],
  namedContact: {
    name: 'Jo Patel',
    role: 'Customer Relations Manager',
    email: 'customer.relations@example.gov.uk',
    phone: '01632 960 001',
  },
  representations: {
    how: 'Write to the Monitoring Officer at the Town Hall, or email monitoring.officer@example.gov.uk.',
    by: new Date('2026-03-30T12:00:00Z'),
  },
  authorisingOfficer: { name: 'Dr Sam Okafor', title: 'Assistant Director, Customer Services' },
  supportWorker: {
    name: 'Lee Brown',
    organisation: 'Exampleton Mind',
    arrangement: 'With your agreement, we will copy Lee into our replies to you.',
  },
  wardCouncillor: {
    name: 'Councillor Ann Lewis',
    ward: 'Mill ward',
    arrangement: 'You can still email Councillor Lewis, who will pass your concerns to us.',
  },
};

describe('the written confirmation of a restriction (policy §14)', () => {
  let text: string;
  beforeAll(async () => {
    text = pdfText(await restrictionLetterPdf(letter));
  });

  test.each([
    ['is marked private and confidential', 'Private and confidential'],
    ['is addressed to the customer', 'Dear Mr Robin Grey,'],
    ['quotes the reference', 'Our reference: UCB-2026-014'],
    ['is dated in UK style', 'Date: Monday 2 March 2026'],
    [
      'says when it started and where it applies',
      'They started on Friday 27 February 2026 and apply to all council services and meetings.',
    ],
    ['gives the reasons (the behaviour)', 'you shouted at and swore at staff at the customer service centre'],
    ['gives every reason', 'threatening comments about a named officer'],
    ['says when they may telephone', 'Tuesdays and Thursdays, between 10am and midday, on 01632 960 000'],
    [
      'names who to contact and how',
      'Jo Patel, Customer Relations Manager Email: customer.relations@example.gov.uk Telephone: 01632 960 001',
    ],
    [
      'explains written statements instead of speaking',
      RESTRICTION_KIND_EXPLANATIONS.no_public_participation,
    ],
    ['explains the social media block', RESTRICTION_KIND_EXPLANATIONS.social_media_block],
    ['says how to make representations, and by when', 'Write to the Monitoring Officer at the Town Hall'],
    ['gives the date for representations', 'Please do this by Monday 30 March 2026.'],
    ['promises representations are considered', 'We will record what you say and take it into account.'],
    ['says when it will be reviewed', 'We will review these arrangements by Thursday 27 August 2026.'],
    [
      'names the support worker',
      'Lee Brown, Exampleton Mind. With your agreement, we will copy Lee into our replies to you.',
    ],
    ['sets out the ward councillor arrangement', 'Councillor Ann Lewis, councillor for Mill ward.'],
    [
      'is signed by the authorising officer',
      'Dr Sam Okafor Assistant Director, Customer Services Example District Council',
    ],
  ])('%s', (_what, expected) => {
    expect(text).toContain(expected);
  });

  test('labels each kind of restriction as the register does', () => {
    for (const kind of letter.restriction.kinds) expect(text).toContain(RESTRICTION_KIND_LABELS[kind]);
    expect(text).not.toContain(RESTRICTION_KIND_LABELS.postal_only);
  });

  test('every kind of restriction has a plain explanation for the customer', async () => {
    const everything = pdfText(
      await restrictionLetterPdf({
        ...letter,
        restriction: { ...letter.restriction, kinds: [...RESTRICTION_KINDS] },
      }),
    );
    for (const kind of RESTRICTION_KINDS) expect(everything).toContain(RESTRICTION_KIND_EXPLANATIONS[kind]);
  });

  test.each([
    ['committee', 'Planning Committee', 'apply to meetings of the Planning Committee.'],
    ['service', 'Housing', 'apply to the Housing service.'],
  ] as const)('a restriction scoped to one %s says so', async (level, name, expected) => {
    const scoped = { ...letter, restriction: { ...letter.restriction, scope: { level, name } } };
    expect(pdfText(await restrictionLetterPdf(scoped))).toContain(expected);
  });

  test('optional arrangements are left out when not given', async () => {
    const plain = pdfText(
      await restrictionLetterPdf({
        ...letter,
        supportWorker: undefined,
        wardCouncillor: undefined,
        namedContact: undefined,
      }),
    );
    expect(plain).not.toContain('Your support worker');
    expect(plain).not.toContain('Your ward councillor');
    expect(plain).not.toContain('Who to contact');
  });

  test.each([
    ['a proposed restriction', { status: 'proposed' as const }, Conflict],
    ['a lifted restriction', { status: 'lifted' as const }, Conflict],
    ['no approval date', { approvedAt: undefined }, ValidationFailed],
    ['no review date', { reviewDue: undefined }, ValidationFailed],
  ])('is never produced for %s', async (_case, change, error) => {
    await expect(
      restrictionLetterPdf({ ...letter, restriction: { ...letter.restriction, ...change } }),
    ).rejects.toThrow(error);
  });
});
