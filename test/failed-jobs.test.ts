// A job that cannot succeed ends in the failed list an administrator sees, with its reason and a
// retry button; retrying is audited.
import { Browserless } from './helpers/http';
import { addOfficer, simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';

describe('failed jobs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // No platform connection at all: the act step can never succeed.
    stack = await startTestStack({ platformFor: () => undefined });
    await addOfficer(stack.store, 'admin1', ['administrator']);
    const now = new Date();
    const person = await stack.store.models.people.create({ names: ['Blocked Person'], socialAccounts: [{ platform: 'simulated', accountId: 'acct-failing' }], createdAt: now, updatedAt: now });
    await stack.store.models.restrictions.create({ personId: String(person._id), kinds: ['social_media_block'], status: 'active', scope: { level: 'council' }, approvedAt: now, reviewDue: new Date(now.getTime() + 86400_000 * 30), createdAt: now });
  });
  afterAll(() => stack?.stop());

  it('shows the failed job with its reason, and retries it when asked', async () => {
    await stack.pipeline.ingest(simulatedComment({ authorId: 'acct-failing' }));
    await waitFor('a failed act job', async () => (await stack.pipeline.queues.act.getFailedCount()) >= 1);

    const admin = new Browserless(stack.server.url);
    await admin.signIn('admin1', 'correct horse battery staple');
    const page = await (await admin.request('/admin/jobs', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('no connection is configured for simulated account council-main');
    const m = /action="\/admin\/jobs\/act\/([^/]+)\/retry"/.exec(page);
    expect(m).not.toBeNull();

    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const retry = await admin.request(`/admin/jobs/act/${m![1]}/retry`, { method: 'POST', form: { _csrf: token } });
    expect(retry.status).toBe(303);
    expect(await stack.store.models.audit.countDocuments({ action: 'job.retried' })).toBe(1);
  });

  it('refuses to retry an unknown queue or job with a clear answer', async () => {
    const admin = new Browserless(stack.server.url);
    await admin.signIn('admin1', 'correct horse battery staple');
    const token = await admin.csrfFrom('/admin/jobs');
    const unknownQueue = await admin.request('/admin/jobs/nope/abc/retry', { method: 'POST', form: { _csrf: token }, headers: { accept: 'text/html' } });
    expect(unknownQueue.status).toBe(400);
    const unknownJob = await admin.request('/admin/jobs/act/act-doesnotexist/retry', { method: 'POST', form: { _csrf: token }, headers: { accept: 'text/html' } });
    expect(unknownJob.status).toBe(404);
  });
});
