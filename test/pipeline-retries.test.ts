// What the pipeline does when a step is repeated or its input is odd: a worker that died after
// saving a decision, a photo-only comment, and one comment the store cannot take among good ones.
// Against the real Redis, FerretDB and BullMQ.
import type { Decision } from '../core/decide';
import { jobIdFor } from '../queues/jobs';
import { captureComments, commentIdFor, decisionFor, recordDecision } from '../store/comments';
import { simulatedComment, startTestStack, waitFor, type TestStack } from './helpers/stack';

describe('repeated and unusual pipeline steps', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  const auditedDecisions = (commentId: string) =>
    stack.store.models.audit.countDocuments({ action: 'comment.decided', 'subject.id': commentId });

  it('a decision saved by a worker that then died is audited and acted on when the job is retried, once', async () => {
    const { models } = stack.store;
    const comment = simulatedComment({ text: 'Nobody ever answers the phone at the housing office' });
    const capturedAt = new Date();
    const captured = await captureComments(models.comments, [comment], capturedAt);
    const id = captured[0]!.id;
    // The worker saved this decision, then stopped before auditing it or queuing its hide.
    const saved: Decision = {
      outcome: 'hide',
      actions: ['hide'],
      reasons: [{ rule: 'register.social_media_block', detail: 'An officer-confirmed match' }],
      restrictionKinds: ['social_media_block'],
      decidedAt: capturedAt,
      decidedBy: 'rule:restricted-social-media',
    };
    expect(await recordDecision(models, id, saved)).toBe(true);

    await stack.pipeline.assessCaptured(captured, [comment], capturedAt); // BullMQ's retry of the job
    await waitFor('the hide the saved decision asked for', async () => stack.platform.hidden.includes(comment.externalId));
    await waitFor('the decision in the audit log', async () => (await auditedDecisions(id)) === 1);
    expect((await decisionFor(models, id))?.outcome).toBe('hide'); // the first decision stands

    // Once more (the job removed and queued again): nothing is audited or hidden twice.
    await (await stack.pipeline.queues.assess.getJob(jobIdFor('assess', id)))?.remove();
    await stack.pipeline.assessCaptured(captured, [comment], capturedAt);
    await waitFor('the repeated job to finish', async () => (await stack.pipeline.queues.assess.getJob(jobIdFor('assess', id)))?.isCompleted());
    expect(await auditedDecisions(id)).toBe(1);
    expect(stack.platform.hidden.filter((x) => x === comment.externalId)).toHaveLength(1);
  });

  it('a photo-only comment (no text) is stored and decided', async () => {
    const comment = simulatedComment({ text: '' });
    await stack.pipeline.ingest(comment);
    const id = commentIdFor(comment.platform, comment.externalId);
    const decision = await waitFor('the decision', async () => decisionFor(stack.store.models, id));
    expect(decision.outcome).toBe('none');
    expect((await stack.store.models.comments.findById(id).lean())?.text).toBe('');
  });

  it('a comment the store cannot take is refused by itself, with its reason; the rest of the delivery is stored', async () => {
    const good = [simulatedComment(), simulatedComment()];
    const bad = { ...simulatedComment(), createdAt: new Date('not a date') };
    const result = await captureComments(stack.store.models.comments, [good[0]!, bad, good[1]!], new Date());
    expect(result.map((r) => r.isNew)).toEqual([true, false, true]);
    expect(result[1]!.refused).toMatch(/createdAt/);
    expect(result[0]!.refused).toBeUndefined();
    expect(await stack.store.models.comments.countDocuments({ externalId: { $in: [...good, bad].map((c) => c.externalId) } })).toBe(2);
  });
});
