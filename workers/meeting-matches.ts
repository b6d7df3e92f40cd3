// Who on the register a speaking requester may be. For now: the same e-mail address or phone
// number is a match the service may enforce; the same name alone (ignoring case) goes to an
// officer to confirm (policy: a person is never restricted on a guess). The full matching engine
// (core/match) replaces this one function. It reads the register: callers audit that read.
import type { RegisterMatch } from '../core/meetings/speakers';
import type { Models } from '../store/connection';
import { asRestriction, normaliseEmail, phoneE164 } from '../store/meetings';

export interface Requester {
  fullName: string;
  email: string;
  phone: string;
}

function exactIgnoringCase(value: string): { $regex: string; $options: string } {
  return { $regex: `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: 'i' };
}

const STRENGTH: Record<RegisterMatch['matchedOn'], number> = {
  officer_confirmed: 3,
  email: 2,
  phone: 1,
  name: 0,
};

export async function registerMatchesForRequester(
  models: Pick<Models, 'people' | 'restrictions'>,
  requester: Requester,
): Promise<RegisterMatch[]> {
  const email = normaliseEmail(requester.email);
  const phone = phoneE164(requester.phone);
  const name = requester.fullName.trim().replace(/\s+/g, ' ');
  // FerretDB's $elemMatch takes operators only; a condition on an array field matches any element.
  const people = await models.people
    .find(
      {
        $or: [
          { emails: exactIgnoringCase(email) },
          ...(phone ? [{ phones: phone }] : []),
          { names: exactIgnoringCase(name) },
        ],
      },
      { names: 1, emails: 1, phones: 1 },
    )
    .lean();
  if (people.length === 0) return [];

  const restrictions = await models.restrictions
    .find({ personId: { $in: people.map((p) => String(p._id)) } })
    .lean();
  return people
    .map((p): RegisterMatch => {
      const matchedOn: RegisterMatch['matchedOn'] = p.emails.some((e) => normaliseEmail(e) === email)
        ? 'email'
        : phone && p.phones.some((n) => phoneE164(n) === phone)
          ? 'phone'
          : 'name';
      return {
        personId: String(p._id),
        matchedOn,
        restrictions: restrictions.filter((r) => r.personId === String(p._id)).map(asRestriction),
      };
    })
    .sort((a, b) => STRENGTH[b.matchedOn] - STRENGTH[a.matchedOn]);
}
