// Threatening and hateful content is flagged with its reason and waits for an officer on the
// Flagged page, where a moderator hides it, dismisses it with a reason, or corrects the flag.
import { commentIdFor, loadComment } from '../store/comments';
import { Browserless } from './helpers/http';
import { addOfficer, simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';

describe('the Flagged page', () => {
  let stack: TestStack;
  let moderator: Browserless;

  beforeAll(async () => {
    stack = await startTestStack();
    await addOfficer(stack.store, 'moderator1', ['moderator']);
    await addOfficer(stack.store, 'auditor1', ['auditor']);
    moderator = new Browserless(stack.server.url);
    await moderator.signIn('moderator1', 'correct horse battery staple');
  });
  afterAll(() => stack?.stop());

  const decided = (externalId: string) =>
    waitFor('the decision', async () => {
      const c = await loadComment(stack.store.models, commentIdFor('simulated', externalId));
      return c?.decision ? c : undefined;
    });

  it('a threat waits for an officer with its reason, words and suggested offence; nothing is hidden automatically', async () => {
    const c = simulatedComment({ text: "I'm going to stab the planning officer when he leaves work" });
    await stack.pipeline.ingest(c);
    const stored = await decided(c.externalId);
    expect(stored.decision!.outcome).toBe('officer_review');
    expect(stored.decision!.actions).toEqual([]);
    const threat = stored.flags!.find((f) => f.category === 'threat')!;
    expect(threat.spans.length).toBeGreaterThan(0);

    const page = await (await moderator.request('/flagged', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('data-category="threat"');
    expect(page).toMatch(/<mark>[^<]*stab/);
    expect(page).toContain('May amount to');
    expect(page).not.toMatch(/May amount to: [a-z0-9_]+;/); // offences named in words, not as codes
    const hateOnly = await (await moderator.request('/flagged?category=hate', { headers: { accept: 'text/html' } })).text();
    expect(hateOnly).not.toContain('stab the planning officer');
  });

  it('an ordinary comment is not flagged', async () => {
    const c = simulatedComment({ text: 'The bin strike is over, collections resume on Monday.' });
    await stack.pipeline.ingest(c);
    const stored = await decided(c.externalId);
    expect(stored.decision!.outcome).toBe('none');
    expect(stored.flags ?? []).toEqual([]);
  });

  it('dismissing needs a reason, and is audited', async () => {
    const c = simulatedComment({ text: 'I will kill you all, you useless council' });
    await stack.pipeline.ingest(c);
    const stored = await decided(c.externalId);
    const token = await moderator.csrfFrom(`/flagged/${stored._id}/dismiss`);
    const empty = await moderator.request(`/flagged/${stored._id}/dismiss`, { method: 'POST', form: { _csrf: token, reason: '' }, headers: { accept: 'text/html' } });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter why this flag is being dismissed');
    const ok = await moderator.request(`/flagged/${stored._id}/dismiss`, { method: 'POST', form: { _csrf: token, reason: 'Song lyric quoted in a thread about the festival' } });
    expect(ok.status).toBe(303);
    const after = await stack.store.models.comments.findById(stored._id).lean();
    expect(after!.review).toMatchObject({ status: 'dismissed', by: 'moderator1' });
    expect(await stack.store.models.audit.countDocuments({ action: 'flag.dismissed' })).toBe(1);
  });

  it('hiding from the Flagged page asks the platform to hide it, once', async () => {
    const c = simulatedComment({ text: 'Someone should burn the council offices down with you inside' });
    await stack.pipeline.ingest(c);
    const stored = await decided(c.externalId);
    const token = await moderator.csrfFrom('/flagged');
    const res = await moderator.request(`/flagged/${stored._id}/hide`, { method: 'POST', form: { _csrf: token } });
    expect(res.status).toBe(303);
    await waitFor('the hide', async () => stack.platform.hidden.includes(c.externalId));
    expect(await stack.store.models.audit.countDocuments({ action: 'comment.hide_requested' })).toBe(1);
  });

  it('a correction is stored for evaluating the detector', async () => {
    const c = simulatedComment({ text: 'This traffic is killing me' });
    await stack.pipeline.ingest(c);
    const stored = await decided(c.externalId);
    const token = await moderator.csrfFrom('/flagged');
    const res = await moderator.request(`/flagged/${stored._id}/correct`, { method: 'POST', form: { _csrf: token, category: 'abuse', verdict: 'missed', note: 'test' } });
    expect(res.status).toBe(303);
    expect(await stack.store.models.flagCorrections.countDocuments({ commentId: String(stored._id), verdict: 'missed' })).toBe(1);
  });

  it('repeated hostile messages from one author raise a course-of-conduct flag (harassment)', async () => {
    const texts = ['You are a pathetic idiot', 'Useless moron, resign now', 'you are a joke'];
    let last;
    for (const text of texts) {
      last = simulatedComment({ authorId: 'repeat-offender', text, createdAt: new Date() });
      await stack.pipeline.ingest(last);
      await decided(last.externalId);
    }
    const stored = await decided(last!.externalId);
    const conduct = stored.flags!.find((f) => f.offences.includes('protection_from_harassment_act_1997'));
    expect(conduct?.reason).toMatch(/course of conduct/);
  });

  it('an auditor cannot act on flags', async () => {
    const auditor = new Browserless(stack.server.url);
    await auditor.signIn('auditor1', 'correct horse battery staple');
    expect((await auditor.request('/flagged', { headers: { accept: 'text/html' } })).status).toBe(403);
  });
});
