import { ValidationFailed } from '../errors';
import { sha256Hex } from './digest';
import { exhibitFileStem, exhibitReference, rawPayloadIsIntact } from './evidence-item';

describe('exhibit references', () => {
  it.each([
    ['PR-2026-0042', 'ABC', 1, 'ABC/1'],
    ['PR-2026-0042', 'jd', 12, 'JD/12'],
    ['PR-2026-0042', ' abcd ', 300, 'ABCD/300'],
  ])('case %s, officer %s, number %d is %s', (caseRef, initials, n, label) => {
    expect(exhibitReference(caseRef, initials, n)).toBe(label);
  });

  it.each([
    ['', 'ABC', 1, 'caseRef'],
    ['PR-1', 'A', 1, 'officerInitials'],
    ['PR-1', 'A.B', 1, 'officerInitials'],
    ['PR-1', 'ABC', 0, 'n'],
    ['PR-1', 'ABC', 1.5, 'n'],
  ])('refuses case %p, initials %p, number %p (field %s)', (caseRef, initials, n, field) => {
    expect(() => exhibitReference(caseRef, initials, n)).toThrow(expect.objectContaining({ field }));
  });

  it('names the exhibit file without a folder-making slash', () => {
    expect(exhibitFileStem('ABC/1')).toBe('ABC-1');
    expect(() => exhibitFileStem('../etc/passwd')).toThrow(ValidationFailed);
  });
});

describe('raw payload integrity', () => {
  const rawPayload = '{"data":{"id":"1","text":"سوف نجدك"}}';
  it('holds when the payload still matches the SHA-256 recorded at capture', () => {
    expect(rawPayloadIsIntact({ rawPayload, rawPayloadSha256: sha256Hex(rawPayload) })).toBe(true);
  });
  it('fails when a single character of the payload has changed', () => {
    expect(
      rawPayloadIsIntact({
        rawPayload: rawPayload.replace('1', '2'),
        rawPayloadSha256: sha256Hex(rawPayload),
      }),
    ).toBe(false);
  });
});
