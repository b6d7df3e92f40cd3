import { Conflict, ValidationFailed } from '../errors';
import { canMoveReferral, moveReferral, type ReferralCase, type ReferralStatus } from './referral';

const draft: ReferralCase = {
  id: 'case-1',
  reference: 'PR-2026-0042',
  person: { personId: 'p1', name: 'Daniel Example', otherNames: [], accounts: [] },
  restrictionHistory: [],
  suspectedOffences: ['malicious_communications_act_1988_s1'],
  hateCrimeCategories: [],
  officerReasons: 'Threats to staff.',
  referringOfficer: { id: 'o1', name: 'Alex Brown Carter', jobTitle: 'Evidence Officer', initials: 'ABC' },
  policeForce: 'West Yorkshire Police',
  status: 'draft',
};
const at = new Date('2026-03-02T09:00:00Z');

describe('the life of a police referral', () => {
  it.each<[ReferralStatus, ReferralStatus, boolean]>([
    ['draft', 'sent', true],
    ['draft', 'closed', true],
    ['draft', 'acknowledged', false],
    ['sent', 'acknowledged', true],
    ['sent', 'closed', true],
    ['acknowledged', 'closed', true],
    ['acknowledged', 'sent', false],
    ['closed', 'draft', false],
  ])('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMoveReferral(from, to)).toBe(allowed);
  });

  it('records when it was sent and when the police acknowledged it with a crime reference', () => {
    const sent = moveReferral(draft, 'sent', at);
    expect(sent).toMatchObject({ status: 'sent', sentAt: at });
    const acknowledged = moveReferral(sent, 'acknowledged', at, ' 13/123456/26 ');
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      crimeReference: '13/123456/26',
      acknowledgedAt: at,
    });
  });

  it('cannot be acknowledged without the crime reference', () => {
    expect(() => moveReferral(moveReferral(draft, 'sent', at), 'acknowledged', at)).toThrow(ValidationFailed);
  });

  it('cannot skip a step', () => {
    expect(() => moveReferral(draft, 'acknowledged', at, '13/1/26')).toThrow(Conflict);
  });
});
