import type { RegisterPerson } from '../restriction';
import { identifierKeyFor, matchAuthor, RegisterIndex, type AuthorQuery, type OfficerDecision } from '.';

const johnSmith: RegisterPerson = {
  id: 'p-john-smith',
  names: ['John Smith'],
  emails: ['John.Smith@gmail.com'],
  phones: ['07700 900123'],
  socialAccounts: [
    { platform: 'x', accountId: '1001', handle: '@john_smith', handleHistory: ['jsmith_old'] },
  ],
};
const otherJohnSmith: RegisterPerson = {
  id: 'p-other-john-smith',
  names: ['John Smith'],
  emails: ['j.smith@council-example.org.uk'],
  phones: [],
  socialAccounts: [],
};
const maryJones: RegisterPerson = {
  id: 'p-mary-jones',
  names: ['Mary Jones'],
  emails: [],
  phones: ['+44 20 7946 0000'],
  socialAccounts: [{ platform: 'facebook', accountId: 'fb-55', handle: 'mary.jones' }],
};

const register = () => new RegisterIndex([johnSmith, otherJohnSmith, maryJones]);

/** The outcome per person, in the words the dashboard uses. */
function outcomes(query: AuthorQuery, decisions: OfficerDecision[] = [], index = register()) {
  return Object.fromEntries(matchAuthor(index, query, decisions).map((c) => [c.personId, c.status]));
}

describe('matching an author against the register of restricted customers', () => {
  it.each<[string, AuthorQuery, Record<string, string>]>([
    [
      'the same X account under a new handle is still enforced',
      { platform: 'x', accountId: '1001', handle: 'totally_new_name' },
      { 'p-john-smith': 'enforceable' },
    ],
    [
      'the same account id on another platform is someone else',
      { platform: 'facebook', accountId: '1001' },
      {},
    ],
    [
      'a handle with a zero for the o asks an officer',
      { platform: 'x', accountId: '9999', handle: 'j0hn_smith' },
      { 'p-john-smith': 'needs_confirmation' },
    ],
    [
      'a handle with a Cyrillic о asks an officer',
      { platform: 'x', accountId: '9999', handle: 'j\u043ehn_smith' },
      { 'p-john-smith': 'needs_confirmation' },
    ],
    [
      'a handle with zero-width joiners asks an officer',
      { platform: 'x', accountId: '9999', handle: 'john\u200d_\u200dsmith' },
      { 'p-john-smith': 'needs_confirmation' },
    ],
    [
      'a handle in fullwidth letters asks an officer',
      {
        platform: 'x',
        accountId: '9999',
        handle: '\uff4a\uff4f\uff48\uff4e\uff3f\uff53\uff4d\uff49\uff54\uff48',
      },
      { 'p-john-smith': 'needs_confirmation' },
    ],
    [
      'the very same handle on a new account asks an officer: handles change hands',
      { platform: 'x', accountId: '9999', handle: 'John_Smith' },
      { 'p-john-smith': 'needs_confirmation' },
    ],
    [
      'a handle the person used before asks an officer',
      { platform: 'x', accountId: '9999', handle: 'jsmith_old' },
      { 'p-john-smith': 'needs_confirmation' },
    ],
    [
      'a shared name asks an officer about both people, and enforces neither',
      { name: 'John Smith' },
      { 'p-john-smith': 'needs_confirmation', 'p-other-john-smith': 'needs_confirmation' },
    ],
    [
      'a name spelt differently asks an officer',
      { displayName: 'Jon Smyth' },
      { 'p-john-smith': 'needs_confirmation', 'p-other-john-smith': 'needs_confirmation' },
    ],
    [
      'a Gmail address in capitals with a plus tag is enforced',
      { email: 'JOHN.SMITH+meetings@googlemail.com' },
      { 'p-john-smith': 'enforceable' },
    ],
    [
      'a Gmail address without its dots is enforced',
      { email: 'johnsmith@gmail.com' },
      { 'p-john-smith': 'enforceable' },
    ],
    [
      'a council address in another case is enforced',
      { email: 'J.Smith@Council-Example.org.uk' },
      { 'p-other-john-smith': 'enforceable' },
    ],
    ['a council address without its dot is another mailbox', { email: 'jsmith@council-example.org.uk' }, {}],
    ['a mobile written the UK way is enforced', { phone: '07700 900123' }, { 'p-john-smith': 'enforceable' }],
    ['a mobile with +44 is enforced', { phone: '+44 7700 900123' }, { 'p-john-smith': 'enforceable' }],
    ['a mobile with 0044 is enforced', { phone: '0044 7700 900123' }, { 'p-john-smith': 'enforceable' }],
    ['an unknown number matches nobody', { phone: '07700 900999' }, {}],
    ['an empty query matches nobody', {}, {}],
    [
      'empty strings match nobody',
      { platform: '', accountId: '', handle: '', displayName: '', name: '', email: '', phone: '' },
      {},
    ],
  ])('%s', (_behaviour, query, expected) => {
    expect(outcomes(query)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['10,000 characters', 'x'.repeat(10_000)],
    ['control characters', '\u0000\u0001\u0007\u001b[31m\u007f'],
    ['only invisible characters', '\u200b\u200c\u200d\ufeff\u2060'],
    ['a lone surrogate', '\ud800'],
  ])('an author whose every field is %s matches nobody and does not throw', (_what, value) => {
    const query = {
      platform: value,
      accountId: value,
      handle: value,
      displayName: value,
      name: value,
      email: value,
      phone: value,
    };
    expect(matchAuthor(register(), query)).toEqual([]);
  });

  it('never enforces on a name or handle, however many of them agree', () => {
    const [candidate] = matchAuthor(register(), {
      platform: 'x',
      accountId: '9999',
      handle: 'john_smith',
      displayName: 'John Smith',
    });
    expect(candidate).toMatchObject({
      personId: 'p-john-smith',
      enforceable: false,
      status: 'needs_confirmation',
    });
    expect(candidate?.score).toBeLessThan(1);
  });

  it('ranks the person whose handle and name both agree above one whose name alone does', () => {
    const candidates = matchAuthor(register(), {
      platform: 'x',
      accountId: '9999',
      handle: 'j0hn_smith',
      displayName: 'John Smith',
    });
    expect(candidates.map((c) => c.personId)).toEqual(['p-john-smith', 'p-other-john-smith']);
    expect(candidates[0]!.score).toBeGreaterThan(candidates[1]!.score);
  });

  it('shows the officer which identifier matched, by which rule, and the forms compared', () => {
    const [candidate] = matchAuthor(register(), {
      platform: 'x',
      accountId: '9999',
      handle: '@J0hn_Smith',
      email: 'nobody@example.org',
    });
    expect(candidate?.evidence).toEqual([
      {
        identifier: 'handle',
        rule: 'lookalike_handle',
        query: 'j0hn_smith',
        register: 'john_smith',
        key: 'johnsrnlth',
        platform: 'x',
        score: expect.any(Number),
        enforceable: false,
      },
    ]);
  });

  it('shows an exact match with the canonical forms', () => {
    const [candidate] = matchAuthor(register(), {
      email: 'John.Smith+x@GoogleMail.com',
      phone: '+44 7700 900123',
    });
    expect(candidate).toMatchObject({ personId: 'p-john-smith', score: 1, enforceable: true });
    expect(candidate?.evidence.map((e) => [e.rule, e.query, e.register])).toEqual([
      ['same_email', 'johnsmith@gmail.com', 'johnsmith@gmail.com'],
      ['same_phone', '+447700900123', '+447700900123'],
    ]);
  });

  it('enforces against everyone who shares an exact identifier (a household phone)', () => {
    const index = register();
    index.upsertPerson({
      ...maryJones,
      id: 'p-mary-jones-partner',
      names: ['Sam Jones'],
      socialAccounts: [],
    });
    expect(outcomes({ phone: '020 7946 0000' }, [], index)).toEqual({
      'p-mary-jones': 'enforceable',
      'p-mary-jones-partner': 'enforceable',
    });
  });
});

describe("remembering officers' decisions", () => {
  const lookAlike: AuthorQuery = {
    platform: 'x',
    accountId: '9999',
    handle: 'j0hn_smith',
    displayName: 'John Smith',
  };
  const key = identifierKeyFor(lookAlike)!;

  it('does not suggest a person again once an officer has said the author is not them', () => {
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: key, outcome: 'rejected' },
    ];
    expect(outcomes(lookAlike, decisions)).toEqual({ 'p-other-john-smith': 'needs_confirmation' });
  });

  it('enforces a match an officer has confirmed, marked as decided by an officer', () => {
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: key, outcome: 'confirmed' },
    ];
    const [candidate] = matchAuthor(register(), lookAlike, decisions);
    expect(candidate).toMatchObject({
      personId: 'p-john-smith',
      enforceable: true,
      status: 'enforceable',
      score: 1,
    });
    expect(candidate?.evidence.at(-1)).toMatchObject({
      rule: 'confirmed_by_officer',
      query: 'account:x:9999',
      enforceable: true,
    });
  });

  it('keeps a confirmed account enforced after it changes its handle and name', () => {
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: key, outcome: 'confirmed' },
    ];
    expect(
      outcomes(
        { platform: 'x', accountId: '9999', handle: 'someone_else', displayName: 'A N Other' },
        decisions,
      ),
    ).toEqual({
      'p-john-smith': 'enforceable',
    });
  });

  it('uses the latest decision when an officer changes their mind', () => {
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: key, outcome: 'confirmed' },
      { personId: 'p-john-smith', identifierKey: key, outcome: 'rejected' },
    ];
    expect(outcomes(lookAlike, decisions)['p-john-smith']).toBeUndefined();
  });

  it('ignores decisions about other authors', () => {
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: 'account:x:1234', outcome: 'rejected' },
    ];
    expect(outcomes(lookAlike, decisions)['p-john-smith']).toBe('needs_confirmation');
  });

  it('does not let a rejection hide an exact identifier the register holds', () => {
    const exact: AuthorQuery = { platform: 'x', accountId: '1001' };
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: identifierKeyFor(exact)!, outcome: 'rejected' },
    ];
    expect(outcomes(exact, decisions)).toEqual({ 'p-john-smith': 'enforceable' });
  });

  it('does not confirm a person who has left the register', () => {
    const index = register();
    index.removePerson('p-john-smith');
    const decisions: OfficerDecision[] = [
      { personId: 'p-john-smith', identifierKey: key, outcome: 'confirmed' },
    ];
    expect(outcomes(lookAlike, decisions, index)['p-john-smith']).toBeUndefined();
  });

  it.each<[string, AuthorQuery, string | undefined]>([
    [
      'a platform account, whatever its handle',
      { platform: 'X', accountId: ' 42 ', handle: 'anything' },
      'account:x:42',
    ],
    [
      'an e-mail in canonical form',
      { email: 'Jo.Bloggs+x@googlemail.com', phone: '07700 900123' },
      'email:jobloggs@gmail.com',
    ],
    ['a phone in E.164', { phone: '0044 7700 900123', name: 'Jo Bloggs' }, 'phone:+447700900123'],
    [
      'a handle without its @, in lower case',
      { platform: 'instagram', handle: '@Jo_Bloggs' },
      'handle:instagram:jo_bloggs',
    ],
    ['a name, folded', { name: '  JO  Blöggs ' }, 'name:jo bloggs'],
    ['nothing usable', { email: 'not an address', phone: '12' }, undefined],
  ])('keys a decision by %s', (_what, query, expected) => {
    expect(identifierKeyFor(query)).toBe(expected);
  });
});

describe('keeping the index up to date without a rebuild', () => {
  it('stops matching a person once they are removed', () => {
    const index = register();
    expect(index.removePerson('p-john-smith')).toBe(true);
    expect(
      outcomes(
        { platform: 'x', accountId: '1001', email: 'johnsmith@gmail.com', handle: 'john_smith' },
        [],
        index,
      ),
    ).toEqual({});
    expect(index.size).toBe(2);
    expect(index.removePerson('p-john-smith')).toBe(false);
  });

  it('matches on what the register now says after an update, and no longer on what it said', () => {
    const index = register();
    index.upsertPerson({ ...johnSmith, emails: ['john@example.org'], phones: [], socialAccounts: [] });
    expect(outcomes({ email: 'johnsmith@gmail.com' }, [], index)).toEqual({});
    expect(outcomes({ phone: '07700 900123' }, [], index)).toEqual({});
    expect(outcomes({ platform: 'x', accountId: '1001' }, [], index)).toEqual({});
    expect(outcomes({ email: 'John@Example.org' }, [], index)).toEqual({ 'p-john-smith': 'enforceable' });
  });

  it('leaves other people on a shared identifier in place when one is removed', () => {
    const index = register();
    index.upsertPerson({ ...otherJohnSmith, id: 'p-third', emails: [] });
    index.removePerson('p-other-john-smith');
    expect(outcomes({ name: 'John Smith' }, [], index)).toEqual({
      'p-john-smith': 'needs_confirmation',
      'p-third': 'needs_confirmation',
    });
  });

  it('counts identifiers once each, and reports the ones it cannot match on', () => {
    const index = new RegisterIndex();
    const report = index.upsertPerson({
      id: 'p-1',
      names: ['Jo Bloggs', 'JO BLOGGS', '---'],
      emails: ['jo@example.org', 'Jo@Example.org', 'not an address'],
      phones: ['07700 900123', '12'],
      socialAccounts: [{ platform: 'x', accountId: '77', handle: 'jo', handleHistory: ['jo', '\u200b'] }],
    });
    expect(report.indexed).toBe(5);
    expect(report.unusable.map((u) => [u.field, u.value])).toEqual([
      ['emails', 'not an address'],
      ['phones', '12'],
      ['socialAccounts', '\u200b'],
      ['names', '---'],
    ]);
    expect(index.identifierCount).toBe(5);
    index.upsertPerson({ id: 'p-1', names: ['Jo Bloggs'], emails: [], phones: [], socialAccounts: [] });
    expect(index.identifierCount).toBe(1);
    index.removePerson('p-1');
    expect(index.identifierCount).toBe(0);
  });
});
