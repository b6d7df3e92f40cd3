import {
  canonicalEmail,
  foldHandle,
  foldName,
  foldText,
  nameBlockingKeys,
  nameSimilarity,
  phoneToE164,
} from '.';
import { NAME_SIMILARITY_THRESHOLD } from './name';

function handleRelation(a: string, b: string): 'same handle' | 'look-alike' | 'different' {
  const x = foldHandle(a);
  const y = foldHandle(b);
  if (!x.ok || !y.ok) throw new Error(`not a handle: ${a} / ${b}`);
  if (x.written === y.written) return 'same handle';
  return x.lookAlikeKey === y.lookAlikeKey ? 'look-alike' : 'different';
}

describe('handles that look like a handle on the register', () => {
  it.each([
    ['digits for letters (leet)', 'j0hn_smith', 'john_smith', 'look-alike'],
    ['a Cyrillic о for the Latin o', 'j\u043ehn_smith', 'john_smith', 'look-alike'],
    ['Cyrillic letters throughout', '\u0455\u043c\u0456\u0442\u043d', 'smith', 'look-alike'],
    ['a Greek capital omicron', 'J\u039fHN_SMITH', 'john_smith', 'look-alike'],
    ['zero-width joiners hidden inside', 'jo\u200dhn\u200d_smith', 'john_smith', 'look-alike'],
    ['a zero-width space and a soft hyphen', 'john\u200b_sm\u00adith', 'john_smith', 'look-alike'],
    [
      'fullwidth letters',
      '\uff4a\uff4f\uff48\uff4e\uff3f\uff53\uff4d\uff49\uff54\uff48',
      'john_smith',
      'look-alike',
    ],
    ['mathematical bold letters', '\u{1d423}\u{1d428}\u{1d421}\u{1d427}_smith', 'john_smith', 'look-alike'],
    ['accents added', 'jöhn_smíth', 'john_smith', 'look-alike'],
    ['"rn" drawn as "m"', 'rnike_jones', 'mike_jones', 'look-alike'],
    ['1 for i', 'b1ll_evans', 'bill_evans', 'look-alike'],
    ['1 for l', 'a1ex_evans', 'alex_evans', 'look-alike'],
    ['@ and $ for a and s', 'm@ry_$mith', 'mary_smith', 'look-alike'],
    ['a dot for the underscore', 'john.smith', 'john_smith', 'look-alike'],
    ['only the case differs', '@John_Smith', 'john_smith', 'same handle'],
    ['the same handle with and without @', '@john_smith', 'john_smith', 'same handle'],
    ['a different person', 'jane_smith', 'john_smith', 'different'],
    ['a different number', 'john_smith2', 'john_smith', 'different'],
  ])('%s: %s vs %s is %s', (_why, a, b, expected) => {
    expect(handleRelation(a, b)).toBe(expected);
  });
});

describe('e-mail addresses in canonical form', () => {
  it.each([
    ['upper case', 'John.Smith@Example.org', 'john.smith@example.org'],
    ['a plus tag', 'john.smith+meetings@example.org', 'john.smith@example.org'],
    ['Gmail ignores dots', 'J.O.H.N.Smith@gmail.com', 'johnsmith@gmail.com'],
    ['googlemail.com is gmail.com', 'john.smith+x@GoogleMail.com', 'johnsmith@gmail.com'],
    ['other providers keep their dots', 'john.smith@council.gov.uk', 'john.smith@council.gov.uk'],
    ['spaces and a zero-width space around it', '  john@example.org\u200b ', 'john@example.org'],
    ['a mailto: link', 'mailto:john@example.org', 'john@example.org'],
    ['fullwidth characters', '\uff4a\uff4f\uff48\uff4e@example.org', 'john@example.org'],
  ])('%s: %s → %s', (_why, raw, canonical) => {
    expect(canonicalEmail(raw)).toEqual({ ok: true, canonical });
  });

  it('does not merge dotted and undotted addresses outside Gmail', () => {
    expect(canonicalEmail('johnsmith@council.gov.uk')).not.toEqual(
      canonicalEmail('john.smith@council.gov.uk'),
    );
  });

  it.each([
    ['nothing', 'empty', ''],
    ['only spaces', 'empty', '   '],
    ['only control and invisible characters', 'empty', '\u0000\u0001\u200b'],
    ['no @', 'malformed', 'john'],
    ['no domain', 'malformed', 'john@'],
    ['no mailbox', 'malformed', '@example.org'],
    ['a domain without a dot', 'malformed', 'john@localhost'],
    ['a space inside', 'malformed', 'john smith@example.org'],
    ['only a plus tag', 'malformed', '+tag@example.org'],
    ['two dots together', 'malformed', 'john..smith@example.org'],
    ['a mailbox over 64 characters', 'malformed', 'a'.repeat(65) + '@example.org'],
    ['an address over 254 characters', 'too_long', 'a@' + 'b'.repeat(300) + '.org'],
    ['10,000 characters', 'too_long', 'x'.repeat(10_000)],
  ])('refuses %s as %s, with a message a person can act on', (_what, reason, raw) => {
    const result = canonicalEmail(raw);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.message).toMatch(/^(Enter|An e-mail)/);
  });
});

describe('telephone numbers in E.164', () => {
  it.each([
    ['a UK mobile as written at home', '07700 900123', '+447700900123'],
    ['with the country code', '+44 7700 900123', '+447700900123'],
    ['with the international prefix', '0044 7700 900123', '+447700900123'],
    ['with the (0) people write', '+44 (0)7700 900123', '+447700900123'],
    ['with dashes', '07700-900-123', '+447700900123'],
    ['a London landline', '020 7946 0000', '+442079460000'],
    ['an American number', '+1 415 555 2671', '+14155552671'],
    ['an American number from the UK', '001 415 555 2671', '+14155552671'],
    [
      'fullwidth digits',
      '\uff10\uff17\uff17\uff10\uff10\u3000\uff19\uff10\uff10\uff11\uff12\uff13',
      '+447700900123',
    ],
  ])('%s: %s → %s', (_why, raw, e164) => {
    expect(phoneToE164(raw)).toEqual({ ok: true, e164 });
  });

  it('reads numbers without a country code in the region it is given', () => {
    expect(phoneToE164('(415) 555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
  });

  it.each([
    ['nothing', 'empty', ''],
    ['only control and invisible characters', 'empty', '\u0000\u0007\u200d'],
    ['too few digits', 'not_a_phone_number', '12'],
    ['words', 'not_a_phone_number', 'call me'],
    ['two numbers', 'not_a_phone_number', '07700 900123 or 07700 900124'],
    ['65 digits', 'too_long', '0'.repeat(65)],
    ['10,000 digits', 'too_long', '9'.repeat(10_000)],
  ])('refuses %s as %s', (_what, reason, raw) => {
    expect(phoneToE164(raw)).toMatchObject({ ok: false, reason });
  });
});

describe('names', () => {
  const name = (raw: string) => {
    const folded = foldName(raw);
    if (folded === undefined) throw new Error(`no name in ${raw}`);
    return folded;
  };
  const shareABlock = (a: string, b: string) =>
    nameBlockingKeys(name(a)).some((k) => nameBlockingKeys(name(b)).includes(k));

  it.each([
    ["Seán O'Brien-Smith", 'sean obrien smith'],
    ['  JOHN   SMITH ', 'john smith'],
    ['J\u043ehn Smith', 'john smith'],
    ['Søren Łukasz', 'soren lukasz'],
    ['Straße', 'strasse'],
  ])('folds %j to %j', (raw, folded) => {
    expect(name(raw).folded).toBe(folded);
  });

  it.each([
    ['a spelling variant', 'Jon Smyth', 'John Smith', true],
    ['surname first', 'Smith, John', 'John Smith', true],
    ['a middle name', 'John Paul Smith', 'John Smith', true],
    ['a different person', 'Mary Jones', 'John Smith', false],
    ['a lone surname is not enough', 'Smith', 'John Smith', false],
  ])('%s: %s and %s compared? %s', (_why, a, b, compared) => {
    expect(shareABlock(a, b)).toBe(compared);
  });

  it.each([
    ['John Smith', 'Jon Smyth', true],
    ['John Smith', 'Smith John', true],
    ['John Smith', 'John Paul Smith', true],
    ['John Smith', 'Jake Smart', false],
  ])('%s and %s similar enough to ask an officer: %s', (a, b, similar) => {
    expect(nameSimilarity(name(a), name(b)) >= NAME_SIMILARITY_THRESHOLD).toBe(similar);
  });

  it('finds no name in punctuation or invisible characters', () => {
    expect(foldName(' -- \u200b ')).toBeUndefined();
  });
});

describe('absurd input never throws', () => {
  it.each([
    ['nothing', ''],
    ['a space', ' '],
    ['a NUL', '\u0000'],
    ['control characters', '\u0000\u0001\u0002\u001f\u007f\u0085'],
    ['only zero-width characters', '\u200b\u200c\u200d\u2060\ufeff'],
    ['a lone surrogate', '\ud800'],
    ['only @ signs', '@@@@'],
    ['10,000 letters', 'x'.repeat(10_000)],
    ['5,000 emoji', '\u{1F600}'.repeat(5_000)],
    ['5,000 combining accents', 'a\u0301'.repeat(5_000)],
    ['bidi overrides', '\u202e\u202d'.repeat(100)],
  ])('%s', (_what, input) => {
    expect(() => {
      foldText(input);
      foldHandle(input);
      canonicalEmail(input);
      phoneToE164(input);
      const name = foldName(input);
      if (name !== undefined) nameSimilarity(name, name);
      if (name !== undefined) nameBlockingKeys(name);
    }).not.toThrow();
    expect(foldText(input).length).toBeLessThanOrEqual(10_000);
  });
});
