// When the platform answers that a comment no longer exists, the act step records it as
// "platform reports gone" (evidence for any referral) and fails the job with the reason.
import { PlatformRefused } from '../core/errors';
import { RecordingPlatform, simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';

class DeletedCommentsPlatform extends RecordingPlatform {
  override async hideComment(): Promise<never> {
    throw new PlatformRefused('simulated', 404, 'The comment does not exist (it may have been deleted by its author)');
  }
}

describe('a comment the platform reports gone', () => {
  let stack: TestStack;
  beforeAll(async () => {
    const platform = new DeletedCommentsPlatform();
    stack = await startTestStack({ platformFor: () => platform });
    const now = new Date();
    const person = await stack.store.models.people.create({ names: ['Gone Author'], socialAccounts: [{ platform: 'simulated', accountId: 'acct-gone' }], createdAt: now, updatedAt: now });
    await stack.store.models.restrictions.create({ personId: String(person._id), kinds: ['social_media_block'], status: 'active', scope: { level: 'council' }, approvedAt: now, reviewDue: new Date(now.getTime() + 30 * 86400_000), createdAt: now });
  });
  afterAll(() => stack?.stop());

  it('is recorded as gone and audited, and the hide is not retried', async () => {
    const c = simulatedComment({ authorId: 'acct-gone', text: 'deleted soon' });
    await stack.pipeline.ingest(c);
    await waitFor('the gone record', async () => (await stack.store.models.audit.countDocuments({ action: 'comment.platform_gone' })) === 1);
    await waitFor('the failed hide', async () => (await stack.pipeline.queues.act.getFailedCount()) >= 1);
    const [failed] = await stack.pipeline.queues.act.getFailed();
    expect(failed!.failedReason).toMatch(/refused to hide/);
    expect(failed!.attemptsMade).toBe(1);
  });
});
