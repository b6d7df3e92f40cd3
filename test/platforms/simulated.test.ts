// The simulated platform: repeatable comments on council posts, and hide/block state in memory.

import { SimulatedPlatform } from '../../platforms/simulated';

describe('the simulated platform', () => {
  it('produces the same comments for the same seed, and different ones for another', () => {
    const a = new SimulatedPlatform({ seed: 3 }).generate(50);
    const b = new SimulatedPlatform({ seed: 3 }).generate(50);
    const c = new SimulatedPlatform({ seed: 4 }).generate(50);
    expect(b).toEqual(a);
    expect(c.map((x) => x.text)).not.toEqual(a.map((x) => x.text));
  });

  it('produces N comments on demand, each unique, on council topics, with a few harmful ones', () => {
    const labelled = new SimulatedPlatform({ seed: 1 }).generateLabelled(2000);
    expect(new Set(labelled.map((l) => l.comment.externalId)).size).toBe(2000);
    const share = (category: string) =>
      labelled.filter((l) => l.category === category).length / labelled.length;
    expect(share('ordinary')).toBeGreaterThan(0.7);
    for (const harmful of ['rude', 'threatening', 'hateful']) {
      expect(share(harmful)).toBeGreaterThan(0.01);
      expect(share(harmful)).toBeLessThan(0.2);
    }
    const topics = new Set(labelled.map((l) => l.comment.postId));
    expect([...topics].sort()).toEqual([
      'sim-post-bins',
      'sim-post-councilTax',
      'sim-post-libraries',
      'sim-post-planning',
      'sim-post-potholes',
    ]);
  });

  it('some comments come from the configured restricted accounts, under a stable name', () => {
    const sim = new SimulatedPlatform({ seed: 1, restrictedAccountIds: ['restricted-42'] });
    const restricted = sim.generateLabelled(500).filter((l) => l.fromRestrictedAccount);
    expect(restricted.length).toBeGreaterThan(5);
    expect(new Set(restricted.map((l) => l.comment.author.accountId))).toEqual(new Set(['restricted-42']));
    expect(new Set(restricted.map((l) => l.comment.author.handle)).size).toBe(1);
    expect(
      new SimulatedPlatform({ seed: 1, restrictedAccountIds: [] })
        .generateLabelled(500)
        .some((l) => l.fromRestrictedAccount),
    ).toBe(false);
  });

  it('keeps each comment’s payload as JSON text matching the comment', () => {
    const [comment] = new SimulatedPlatform().generate(1);
    expect(JSON.parse(comment?.rawPayload ?? '')).toMatchObject({
      id: comment?.externalId,
      message: comment?.text,
      from: { id: comment?.author.accountId },
    });
  });

  it('reads continue from the cursor, with comments written at the time of the read', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const sim = new SimulatedPlatform({ batchSize: 3, now: () => at });
    const first = await sim.readCommentsSince(undefined);
    const second = await sim.readCommentsSince(first.nextCursor);
    expect(first.comments.map((c) => c.externalId)).toEqual(['sim-1-0', 'sim-1-1', 'sim-1-2']);
    expect(second.comments.map((c) => c.externalId)).toEqual(['sim-1-3', 'sim-1-4', 'sim-1-5']);
    expect(second.comments[0]?.createdAt).toEqual(at);
    await expect(sim.readCommentsSince('three')).rejects.toMatchObject({
      name: 'ValidationFailed',
      field: 'cursor',
    });
  });

  it('hides and blocks once; doing it again is already done', async () => {
    const sim = new SimulatedPlatform();
    const [comment] = sim.generate(1);
    if (!comment) throw new Error('no comment generated');
    await expect(sim.hideComment(comment)).resolves.toMatchObject({ action: 'hide', status: 'done' });
    await expect(sim.hideComment(comment)).resolves.toMatchObject({ status: 'already_done' });
    await expect(sim.blockAuthor(comment.author)).resolves.toMatchObject({ action: 'block', status: 'done' });
    await expect(sim.blockAuthor(comment.author)).resolves.toMatchObject({ status: 'already_done' });
    expect(sim.isHidden(comment.externalId) && sim.isBlocked(comment.author.accountId)).toBe(true);
    await expect(sim.describeAuthor(comment.author.accountId)).resolves.toEqual(comment.author);
  });
});
