// Every meetings page and action, walked with every role and with none, on real records: the
// permission table (server-security) cannot reach routes with ids or forms that need a token.
// Officers' forms are sent invalid, so an allowed role gets a 4xx answer and nothing changes.
import { can, ROLES, type Role } from '../core/roles';
import { redisForProducers } from '../queues/connection';
import { Browserless } from './helpers/http';
import { addOfficer, startTestStack, type TestStack } from './helpers/stack';
import {
  addPrivateLink,
  createMeeting,
  newPrivateLink,
  receiveSpeakingRequest,
  type StoredMeeting,
  type StoredSpeakingRequest,
} from '../store/meetings';

/** Every form here comes from 127.0.0.1: each walk starts with a fresh rate-limit count, and none is left behind. */
async function forgetRateLimits(stack: TestStack): Promise<void> {
  const redis = redisForProducers(stack.config.REDIS_URL);
  try {
    const keys = await redis.keys(`${stack.config.QUEUE_PREFIX}:speak-rate:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describe('who may use each part of the meetings dashboard and the public form', () => {
  let stack: TestStack;
  const browsers = new Map<Role | 'nobody', Browserless>();
  const tokens = new Map<Role | 'nobody', string>();
  let meeting: StoredMeeting;
  let request: StoredSpeakingRequest;
  let privateLink: string;

  beforeAll(async () => {
    stack = await startTestStack({ workers: false });
    const { models } = stack.store;
    meeting = await createMeeting(
      models,
      {
        title: 'Planning Committee',
        committee: 'Planning Committee',
        startsAt: new Date(Date.now() + 30 * 86_400_000),
        venue: 'Council Chamber',
        maxSpeakersPerItem: 2,
        minutesPerSpeaker: 3,
        agendaItems: [
          { number: '4', title: 'Minutes' },
          { number: '5', title: 'Land at Mill Lane' },
        ],
      },
      'test',
      new Date(),
    );
    request = await receiveSpeakingRequest(
      models,
      {
        meetingId: String(meeting._id),
        agendaItemId: String(meeting.agendaItems[1]!._id),
        fullName: 'Kim Lee',
        email: 'kim.lee@example.org',
        phone: '07700 900 555',
        mode: 'in_person',
        topic: 'Traffic',
      },
      new Date(),
    );
    const link = newPrivateLink();
    await addPrivateLink(models, String(request._id), link.hash);
    privateLink = `/speak/requests/${link.token}`;

    const form = `/speak/meetings/${String(meeting._id)}`;
    for (const role of ROLES) {
      const username = `meetings-${role.replace(/_/g, '-')}`;
      await addOfficer(stack.store, username, [role]);
      const b = new Browserless(stack.server.url);
      expect((await b.signIn(username, 'correct horse battery staple')).status).toBe(303);
      browsers.set(role, b);
      tokens.set(role, await b.csrfFrom(form));
    }
    const nobody = new Browserless(stack.server.url);
    browsers.set('nobody', nobody);
    tokens.set('nobody', await nobody.csrfFrom(form));
  });

  afterEach(() => forgetRateLimits(stack));
  afterAll(() => stack?.stop());

  const m = () => `/meetings/${String(meeting._id)}`;
  const r = () => `${m()}/requests/${String(request._id)}`;

  /** The dashboard: democratic services and administrators only. */
  const DASHBOARD: ['GET' | 'POST', () => string, number][] = [
    ['GET', () => m(), 200],
    ['GET', () => `${m()}/edit`, 200],
    ['GET', () => `${m()}/pack.pdf`, 200],
    ['GET', () => r(), 200],
    ['POST', () => '/meetings/new', 400],
    ['POST', () => `${m()}/edit`, 400],
    ['POST', () => `${r()}/match`, 400],
    ['POST', () => `${r()}/accept`, 409], // a request still being checked cannot be accepted
    ['POST', () => `${r()}/refuse`, 400],
    ['POST', () => `${r()}/move`, 400],
    ['POST', () => `${r()}/statement`, 400],
  ];

  describe.each(DASHBOARD)('%s %s', (method, path, allowedStatus) => {
    it.each([...ROLES, 'nobody' as const])('as %s', async (role) => {
      const b = browsers.get(role)!;
      const res = await b.request(path(), {
        method,
        ...(method === 'POST' ? { form: { _csrf: tokens.get(role)! } } : {}),
        headers: { accept: 'text/html' },
      });
      if (role === 'nobody') {
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toMatch(/^\/sign-in\?next=/);
      } else if (can([role], 'meetings.manage')) {
        expect(res.status).toBe(allowedStatus);
      } else {
        expect(res.status).toBe(403);
        expect(await res.text()).toMatch(/do not have permission/);
      }
    });
  });

  /** The public pages: anyone, signed in or not; a private link only with its token. */
  const PUBLIC: ['GET' | 'POST', () => string, number][] = [
    ['GET', () => `/speak/meetings/${String(meeting._id)}`, 200],
    ['POST', () => `/speak/meetings/${String(meeting._id)}`, 400], // an empty form
    ['GET', () => privateLink, 200],
    ['GET', () => `/speak/requests/${'x'.repeat(43)}`, 404],
    ['GET', () => `${privateLink}/statement`, 303], // not a written submission: back to the request
    ['POST', () => `${privateLink}/statement`, 409],
    ['POST', () => `/speak/requests/${'x'.repeat(43)}/withdraw`, 404],
    ['GET', () => `/speak/requests/${'x'.repeat(43)}/statement`, 404],
    ['POST', () => `/speak/requests/${'x'.repeat(43)}/statement`, 404],
  ];

  describe.each(PUBLIC)('%s %s', (method, path, status) => {
    it.each(['nobody' as const, ...ROLES])('as %s', async (role) => {
      const b = browsers.get(role)!;
      const res = await b.request(path(), {
        method,
        ...(method === 'POST' ? { form: { _csrf: tokens.get(role)!, website: '' } } : {}),
        headers: { accept: 'text/html' },
      });
      expect(res.status).toBe(status);
    });
  });

  it('nothing above changed the meeting or the request', async () => {
    const { models } = stack.store;
    const after = await models.speakingRequests.findById(request._id).lean<StoredSpeakingRequest>();
    expect(after!.status).toBe('received');
    expect(after!.history).toHaveLength(1);
    expect(await models.speakingRequests.countDocuments()).toBe(1);
    const same = await models.meetings.findById(meeting._id).lean<StoredMeeting>();
    expect(same!.updatedAt.getTime()).toBe(meeting.updatedAt.getTime());
    expect(await models.meetings.countDocuments()).toBe(1);
  });
});
