import { Conflict, NotFound, ValidationFailed } from '../errors';
import type { Restriction } from '../restriction';
import { DEFAULT_REGISTRATION_DEADLINE_RULE, type BankHolidayCalendar } from './deadline';
import {
  decideSpeakingRequest,
  promoteFromWaitingList,
  recordOfficerConfirmation,
  speakingOrder,
  speakingRequestFormSchema,
  waitingList,
  withdrawSpeakingRequest,
  writtenStatementFormSchema,
  type RegisterMatch,
  type SpeakingRequest,
} from './speakers';

const noBankHolidays: BankHolidayCalendar = { isBankHoliday: () => false };
const deadline = { rule: DEFAULT_REGISTRATION_DEADLINE_RULE, calendar: noBankHolidays };
// Planning Committee, Wednesday 10 June 2026 at 7pm BST; deadline 5pm BST Monday 8 June.
const meeting = {
  id: 'mtg-planning-2026-06-10',
  committee: 'Planning Committee',
  startsAt: new Date('2026-06-10T18:00:00Z'),
};
const item = { id: 'item-5', maxSpeakers: 2 };
const at = new Date('2026-06-05T10:00:00Z');
const onTime = new Date('2026-06-05T09:00:00Z');

function request(
  id: string,
  status: SpeakingRequest['status'],
  minute: number,
  heldPlace?: SpeakingRequest['heldPlace'],
): SpeakingRequest {
  return {
    id,
    agendaItemId: item.id,
    mode: 'in_person',
    submittedAt: new Date(Date.UTC(2026, 5, 1, 9, minute)),
    status,
    ...(heldPlace ? { heldPlace } : {}),
  };
}

function restriction(overrides: Partial<Restriction> = {}): Restriction {
  return {
    id: 'r-1',
    personId: 'p-1',
    kinds: ['no_public_participation'],
    status: 'active',
    scope: { level: 'council' },
    approvedAt: new Date('2026-01-10T00:00:00Z'),
    reviewDue: new Date('2026-07-10T00:00:00Z'),
    ...overrides,
  };
}

function match(matchedOn: RegisterMatch['matchedOn'], r: Restriction = restriction()): RegisterMatch {
  return { personId: 'p-1', matchedOn, restrictions: [r] };
}

function decide(opts: {
  existing?: SpeakingRequest[];
  matches?: RegisterMatch[];
  mode?: SpeakingRequest['mode'];
  submittedAt?: Date;
}) {
  return decideSpeakingRequest({
    request: {
      id: 'new',
      agendaItemId: item.id,
      mode: opts.mode ?? 'in_person',
      submittedAt: opts.submittedAt ?? onTime,
    },
    meeting,
    item,
    existing: opts.existing ?? [],
    registerMatches: opts.matches ?? [],
    deadline,
    at,
  });
}

const full = [request('a', 'accepted', 1), request('b', 'accepted', 2)];

describe('the outcome of a speaking request', () => {
  test.each([
    ['a place is free: accepted', {}, 'accepted', 'speaking_place_free'],
    ['both places taken: waiting list', { existing: full }, 'waiting_list', 'item_full'],
    [
      'withdrawn and late requests do not take places',
      {
        existing: [
          request('a', 'withdrawn', 1),
          request('b', 'late', 2),
          request('c', 'written_submission', 3),
        ],
      },
      'accepted',
      'speaking_place_free',
    ],
    [
      'after 5pm two working days before: late',
      { submittedAt: new Date('2026-06-08T16:00:01Z') },
      'late',
      'registration_deadline',
    ],
    [
      'late comes first, even for a restricted person',
      { submittedAt: new Date('2026-06-09T09:00:00Z'), matches: [match('email')] },
      'late',
      'registration_deadline',
    ],
    [
      'asked to submit in writing only: written submission',
      { mode: 'written_only' as const },
      'written_submission',
      'chose_written_submission',
    ],
    [
      'matched on e-mail to a council-wide restriction: converted',
      { matches: [match('email')] },
      'written_submission',
      'no_public_participation',
    ],
    [
      'matched on phone: converted even when the item is full',
      { matches: [match('phone')], existing: full },
      'written_submission',
      'no_public_participation',
    ],
    [
      "restriction scoped to this meeting's committee: converted",
      {
        matches: [match('email', restriction({ scope: { level: 'committee', name: 'planning committee' } }))],
      },
      'written_submission',
      'no_public_participation',
    ],
    [
      'restriction scoped to this meeting: converted',
      { matches: [match('email', restriction({ scope: { level: 'meeting', name: meeting.id } }))] },
      'written_submission',
      'no_public_participation',
    ],
    [
      'restriction scoped to another committee: accepted',
      {
        matches: [
          match('email', restriction({ scope: { level: 'committee', name: 'Licensing Committee' } })),
        ],
      },
      'accepted',
      'speaking_place_free',
    ],
    [
      'restriction on one service does not reach meetings: accepted',
      { matches: [match('email', restriction({ scope: { level: 'service', name: 'Housing' } }))] },
      'accepted',
      'speaking_place_free',
    ],
    [
      'a lifted restriction no longer converts: accepted',
      {
        matches: [
          match('email', restriction({ status: 'lifted', liftedAt: new Date('2026-05-01T00:00:00Z') })),
        ],
      },
      'accepted',
      'speaking_place_free',
    ],
    [
      'a proposed (not yet approved) restriction does not convert: accepted',
      { matches: [match('email', restriction({ status: 'proposed' }))] },
      'accepted',
      'speaking_place_free',
    ],
    [
      'a social-media block alone does not stop speaking: accepted',
      { matches: [match('email', restriction({ kinds: ['social_media_block'] }))] },
      'accepted',
      'speaking_place_free',
    ],
    [
      'matched on name only: awaiting officer confirmation, never converted',
      { matches: [match('name')] },
      'awaiting_officer_confirmation',
      'name_match_needs_officer',
    ],
  ])('%s', (_case, opts, status, rule) => {
    const decision = decide(opts);
    expect(decision).toMatchObject({ requestId: 'new', status, rule });
  });

  test('a conversion records which restriction and which person, for the audit log', () => {
    expect(decide({ matches: [match('email')] })).toMatchObject({ restrictionId: 'r-1', personId: 'p-1' });
  });

  test('a name-only match keeps the place the request would have had', () => {
    expect(decide({ matches: [match('name')] }).heldPlace).toBe('speaking');
    expect(decide({ matches: [match('name')], existing: full }).heldPlace).toBe('waiting_list');
  });

  test('a place held during an officer check counts against the item', () => {
    const existing = [
      request('a', 'accepted', 1),
      request('b', 'awaiting_officer_confirmation', 2, 'speaking'),
    ];
    expect(decide({ existing }).status).toBe('waiting_list');
  });

  test('a request for an item of another meeting is refused, naming the field', () => {
    expect(() =>
      decideSpeakingRequest({
        request: { id: 'x', agendaItemId: 'item-9', mode: 'remote', submittedAt: onTime },
        meeting,
        item,
        existing: [],
        registerMatches: [],
        deadline,
        at,
      }),
    ).toThrow(ValidationFailed);
  });
});

describe('the order of speakers and the waiting list', () => {
  test('speakers are called first come, first served; ties are settled by request id', () => {
    const requests = [
      request('c', 'accepted', 5),
      request('b', 'awaiting_officer_confirmation', 1, 'speaking'),
      { ...request('a', 'accepted', 5) },
      request('w2', 'waiting_list', 9),
      request('w1', 'awaiting_officer_confirmation', 8, 'waiting_list'),
    ];
    expect(speakingOrder(requests).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(waitingList(requests).map((r) => r.id)).toEqual(['w1', 'w2']);
  });

  test('a withdrawal gives the place to the first on the waiting list', () => {
    const requests = [...full, request('w2', 'waiting_list', 9), request('w1', 'waiting_list', 8)];
    const decisions = withdrawSpeakingRequest({ item, requests, requestId: 'a' });
    expect(decisions.map((d) => [d.requestId, d.status, d.rule])).toEqual([
      ['a', 'withdrawn', 'withdrawn_by_requester'],
      ['w1', 'accepted', 'promoted_from_waiting_list'],
    ]);
  });

  test('withdrawing from the waiting list promotes nobody', () => {
    const requests = [...full, request('w1', 'waiting_list', 8)];
    expect(withdrawSpeakingRequest({ item, requests, requestId: 'w1' }).map((d) => d.requestId)).toEqual([
      'w1',
    ]);
  });

  test('a promoted request still awaiting an officer keeps waiting, now holding a speaking place', () => {
    const requests = [...full, request('w1', 'awaiting_officer_confirmation', 8, 'waiting_list')];
    const [, promoted] = withdrawSpeakingRequest({ item, requests, requestId: 'b' });
    expect(promoted).toMatchObject({
      requestId: 'w1',
      status: 'awaiting_officer_confirmation',
      heldPlace: 'speaking',
    });
  });

  test('raising the number of places promotes as many as fit', () => {
    const requests = [
      ...full,
      request('w1', 'waiting_list', 8),
      request('w2', 'waiting_list', 9),
      request('w3', 'waiting_list', 10),
    ];
    expect(promoteFromWaitingList({ id: item.id, maxSpeakers: 4 }, requests).map((d) => d.requestId)).toEqual(
      ['w1', 'w2'],
    );
  });

  test('withdrawing twice, or an unknown request, is refused', () => {
    expect(() =>
      withdrawSpeakingRequest({ item, requests: [request('a', 'withdrawn', 1)], requestId: 'a' }),
    ).toThrow(Conflict);
    expect(() => withdrawSpeakingRequest({ item, requests: full, requestId: 'zzz' })).toThrow(NotFound);
  });

  test('a capacity that is not a whole number is refused', () => {
    expect(() => promoteFromWaitingList({ id: item.id, maxSpeakers: -1 }, full)).toThrow(ValidationFailed);
  });
});

describe("an officer's answer to a name-only match", () => {
  const waiting = [
    request('a', 'accepted', 1),
    request('n', 'awaiting_officer_confirmation', 2, 'speaking'),
    request('w1', 'waiting_list', 8),
  ];
  const answer = (confirmedMatch: RegisterMatch | null, requests = waiting) =>
    recordOfficerConfirmation({ meeting, item, requests, requestId: 'n', confirmedMatch, at });

  test('confirmed: converted to a written submission and the freed place goes to the waiting list', () => {
    expect(answer(match('name')).map((d) => [d.requestId, d.status, d.rule])).toEqual([
      ['n', 'written_submission', 'officer_confirmed_match'],
      ['w1', 'accepted', 'promoted_from_waiting_list'],
    ]);
  });

  test('not the same person: the request takes the speaking place it kept', () => {
    expect(answer(null)).toEqual([
      expect.objectContaining({ requestId: 'n', status: 'accepted', rule: 'officer_rejected_match' }),
    ]);
  });

  test('not the same person, and it had been waiting: back on the waiting list in its turn', () => {
    const requests = [...full, request('n', 'awaiting_officer_confirmation', 3, 'waiting_list')];
    expect(answer(null, requests)[0]).toMatchObject({ status: 'waiting_list' });
  });

  test('confirmed, but the restriction was lifted meanwhile: the request keeps its place', () => {
    const lifted = match(
      'name',
      restriction({ status: 'lifted', liftedAt: new Date('2026-06-01T00:00:00Z') }),
    );
    expect(answer(lifted)[0]).toMatchObject({ status: 'accepted' });
  });

  test('a request not awaiting an officer cannot be answered', () => {
    expect(() =>
      recordOfficerConfirmation({ meeting, item, requests: full, requestId: 'a', confirmedMatch: null, at }),
    ).toThrow(Conflict);
  });
});

describe('the public speaking-request form', () => {
  const good = {
    fullName: '  Sam Jones ',
    email: 'sam@example.com',
    phone: '07700 900 982',
    address: '',
    meetingId: meeting.id,
    agendaItemId: item.id,
    mode: 'remote',
    topic: 'The new cycle lane on the High Street',
  };

  test('a complete form is accepted, trimmed, with a blank address left out', () => {
    const parsed = speakingRequestFormSchema.parse(good);
    expect(parsed.fullName).toBe('Sam Jones');
    expect(parsed.address).toBeUndefined();
  });

  test.each([
    [{ fullName: '' }, 'fullName', 'Enter your full name'],
    [{ fullName: 'x'.repeat(101) }, 'fullName', 'Full name must be 100 characters or less'],
    [{ email: undefined }, 'email', 'Enter your email address'],
    [{ email: 'sam@' }, 'email', 'Enter your email address in the correct format, like name@example.com'],
    [{ phone: '   ' }, 'phone', 'Enter your phone number'],
    [
      { phone: '12345' },
      'phone',
      'Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
    ],
    [{ address: 'x'.repeat(501) }, 'address', 'Address must be 500 characters or less'],
    [{ meetingId: '' }, 'meetingId', 'Select the meeting you want to speak at'],
    [{ meetingId: '../../etc' }, 'meetingId', 'Select the meeting you want to speak at'],
    [{ agendaItemId: undefined }, 'agendaItemId', 'Select the agenda item you want to speak about'],
    [{ mode: 'shouting' }, 'mode', 'Select how you want to take part in the meeting'],
    [{ mode: undefined }, 'mode', 'Select how you want to take part in the meeting'],
    [{ topic: '' }, 'topic', 'Enter what you want to speak about'],
    [{ topic: 'x'.repeat(501) }, 'topic', 'What you want to speak about must be 500 characters or less'],
  ])('%j → %s: "%s"', (change, field, message) => {
    const result = speakingRequestFormSchema.safeParse({ ...good, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: [field], message })]);
  });
});

describe('the written statement form', () => {
  const good = {
    fullName: 'Sam Jones',
    email: 'sam@example.com',
    meetingId: meeting.id,
    agendaItemId: item.id,
    statement: 'I object.',
  };

  test.each([
    [{ statement: '' }, 'Enter your written statement'],
    [{ statement: 'word '.repeat(501) }, 'Your written statement must be 500 words or fewer'],
    [{ statement: 'x'.repeat(5001) }, 'Your written statement must be 5000 characters or less'],
  ])('%#: "%s"', (change, message) => {
    const result = writtenStatementFormSchema.safeParse({ ...good, ...change });
    expect(result.error?.issues[0]).toMatchObject({ path: ['statement'], message });
  });

  test('a statement of 500 words is accepted', () => {
    expect(writtenStatementFormSchema.safeParse({ ...good, statement: 'word '.repeat(500) }).success).toBe(
      true,
    );
  });
});
