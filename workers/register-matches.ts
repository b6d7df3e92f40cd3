// Finds who on the register a comment's author may be. For now: exact platform account id only
// (enforceable). The full matching engine (core/match) replaces this lookup.
import type { AuthorMatch } from '../core/decide';
import type { PlatformAuthor } from '../core/platform';
import type { Restriction } from '../core/restriction';
import type { Models } from '../store/connection';

export async function registerMatchesFor(models: Models, author: PlatformAuthor): Promise<AuthorMatch[]> {
  // FerretDB's $elemMatch takes operators only, so match the account id and check the platform here.
  const people = (await models.people.find({ 'socialAccounts.accountId': author.accountId }, { names: 1, socialAccounts: 1 }).lean()).filter((p) =>
    p.socialAccounts.some((a) => a.platform === author.platform && a.accountId === author.accountId),
  );
  if (people.length === 0) return [];
  const ids = people.map((p) => String(p._id));
  const restrictions = await models.restrictions.find({ personId: { $in: ids } }).lean();
  return people.map((p) => ({
    personId: String(p._id),
    personName: p.names[0] ?? 'Unnamed person',
    enforceable: true,
    rule: 'exact.account_id',
    detail: `${author.platform} account ${author.accountId}`,
    restrictions: restrictions
      .filter((r) => r.personId === String(p._id))
      .map(
        (r): Restriction => ({
          id: String(r._id),
          personId: r.personId,
          kinds: r.kinds as Restriction['kinds'],
          status: r.status,
          scope: { level: r.scope?.level ?? 'council', name: r.scope?.name ?? undefined },
          approvedAt: r.approvedAt ?? undefined,
          reviewDue: r.reviewDue ?? undefined,
          liftedAt: r.liftedAt ?? undefined,
        }),
      ),
  }));
}
