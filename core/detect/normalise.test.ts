// The tokeniser undoes evasions but never loses track of where a word sits in the original text.
import { tokenise } from './normalise';
import { LEXICON } from './lexicon';

const vocab = { has: (w: string): boolean => LEXICON.vocabulary.has(w) };

function words(text: string): string[] {
  return tokenise(text, vocab).map((t) => t.w);
}

function written(text: string): string[] {
  return tokenise(text, vocab).map((t) => text.slice(t.start, t.end));
}

describe('evasions are undone', () => {
  it.each([
    ['zero-width characters', 'ki\u200Bl\u200Dl', ['kill']],
    ['soft hyphens', 'ki\u00ADll', ['kill']],
    ['dotted letters', 'k.i.l.l', ['kill']],
    ['dashed letters', 'f-u-c-k', ['fuck']],
    ['spaced letters', 'k i l l', ['kill']],
    ['spaced letters that make two words', 'k i l l y o u', ['kill', 'you']],
    ['spaced words kept apart by a double space', 'h a t e  y o u', ['hate', 'you']],
    ['full-width letters', 'ｋｉｌｌ', ['kill']],
    ['Cyrillic look-alikes', 'kіll уоu', ['kill', 'you']],
    ['small capitals', 'ᴋɪʟʟ', ['kill']],
    ['flag letters', '🇰🇮🇱🇱', ['kill']],
    ['boxed letters', '🅺🅸🅻🅻', ['kill']],
    ['accents', 'kïll', ['kill']],
    ['mathematical letters', '𝐤𝐢𝐥𝐥', ['kill']],
    ['leetspeak', 'k1ll 5h1t', ['kill', 'shit']],
    ['punctuation inside a word', 'ki.ll', ['kill']],
    ['copy-paste damage', 'donâ€™t', ['do', 'not']],
  ])('%s: "%s"', (_, text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('keeps a second reading where l33t is ambiguous', () => {
    const [t] = tokenise('ki11', vocab);
    expect(t?.w).toBe('kiii');
    expect(t?.alt).toBe('kill');
  });

  it('marks stretched words so they can be looked up collapsed', () => {
    expect(tokenise('kiiiiill', vocab)[0]?.stretched).toBe(true);
    expect(tokenise('kill', vocab)[0]?.stretched).toBe(false);
  });

  it('leaves numbers, times and ordinals alone', () => {
    expect(words('meeting at 7pm on the 3rd, ref 2019')).toEqual([
      'meeting',
      'at',
      '7pm',
      'on',
      'the',
      '3rd',
      'ref',
      '2019',
    ]);
  });
});

describe('offsets are into the original text', () => {
  it.each([
    ['zero-width characters stay inside the word', 'I w\u200Bill', ['I', 'w\u200Bill']],
    ['an emoji is two code units', 'go 🔪 now', ['go', '🔪', 'now']],
    ['a row of one emoji is one word', '🔫🔫🔫 you', ['🔫🔫🔫', 'you']],
    ['full-width letters', 'ｋｉｌｌ you', ['ｋｉｌｌ', 'you']],
    ['dotted letters', 'k.i.l.l.', ['k.i.l.l']],
    ['spaced letters', 'k i l l', ['k i l l']],
    ['contractions expand but keep the written word', "won't", ["won't", "won't"]],
  ])('%s', (_, text, expected) => {
    expect(written(text)).toEqual(expected);
  });
});

describe('words are read as the council would read them', () => {
  it.each([
    ["I'd", ['i', 'would']],
    ["won't", ['will', 'not']],
    ["they're", ['they', 'are']],
    ["can't", ['can', 'not']],
    ['im', ['i', 'am']],
    ['ima', ['i', 'gonna']],
  ])('"%s" is %p', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('marks possessives', () => {
    const [t] = tokenise("councillor's car", vocab);
    expect(t).toMatchObject({ w: 'councillor', poss: true });
  });

  it('turns emoji into the word they stand for', () => {
    expect(words('💣 🐀')).toEqual(['bomb', 'rat']);
  });

  it('reads mentions, hashtags, e-mail addresses and links', () => {
    const tokens = tokenise('@CllrSmith #KillThemAll a.b@example.com https://example.com/x', vocab);
    expect(tokens.map((t) => [t.kind, t.w])).toEqual([
      ['mention', '@cllrsmith'],
      ['hashtag', 'kill'],
      ['hashtag', 'them'],
      ['hashtag', 'all'],
      ['email', '<email>'],
      ['url', '<url>'],
    ]);
  });

  it('numbers sentences and marks commas, so rules do not run across them', () => {
    const tokens = tokenise('No, I will not. You will!', vocab);
    expect(tokens.map((t) => [t.w, t.clause, t.soft])).toEqual([
      ['no', 0, false],
      ['i', 0, true],
      ['will', 0, false],
      ['not', 0, false],
      ['you', 1, false],
      ['will', 1, false],
    ]);
  });

  it('knows which words are inside quotation marks, and ignores a quote that never closes', () => {
    expect(tokenise('he wrote "kill them" to me', vocab).map((t) => t.quoted)).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(tokenise('he wrote "kill them', vocab).every((t) => !t.quoted)).toBe(true);
  });

  it('marks Title case words, which may be names', () => {
    expect(tokenise('ask Jones', vocab).map((t) => t.cap)).toEqual([false, true]);
  });
});
