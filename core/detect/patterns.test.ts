// The rule language: steps over tagged words, as used in data/rules.json.
import { compileSteps, findMatches, indexMessage, labelled } from './patterns';
import { readComment } from './words';

function matches(steps: string, text: string): string[] {
  const c = compileSteps(steps, 'test');
  const { words } = readComment(text);
  return findMatches(c, words, indexMessage(words)).map((m) => {
    const at = m.at.filter((i) => i >= 0);
    return text.slice(words[Math.min(...at)]!.start, words[Math.max(...at)]!.end);
  });
}

describe('the rule language', () => {
  it.each([
    ['a tag', 'HARM', 'they will kill', ['kill']],
    ['an exact word', 'will', 'they will kill', ['will']],
    ['either of two', 'SELF|YOU', 'you and i', ['you', 'i']],
    ['both of two', 'HARM&VBN', 'kill killed', ['killed']],
    ['not a tag', 'VICTIM&!YOU', 'you him', ['him']],
    ['not a word', 'THIRD&!them', 'them him', ['him']],
    ['an optional step', 'SELF INTENT? HARM', 'i kill / i will kill', ['i kill', 'i will kill']],
    ['a gap', 'SELF ~2 HARM', 'i really do kill / i do really truly kill', ['i really do kill']],
    ['a gap of given words only', 'SELF ~2{FILLER} HARM', 'i just kill / i cheerfully kill', ['i just kill']],
    ['the start of a sentence', '^ HARM', 'kill them. they kill', ['kill']],
    ['the end of a sentence', 'HARM $', 'kill them. they kill', ['kill']],
    ['a next word that must not follow', 'NEG_ADJ -UNKNOWN', 'a toxic relationship. so toxic.', ['toxic']],
  ])('%s: %s', (_, steps, text, expected) => {
    expect(matches(steps, text)).toEqual(expected);
  });

  it('never matches across a sentence end', () => {
    expect(matches('SELF ~3 HARM', 'i am here. kill')).toEqual([]);
  });

  it('remembers labelled words', () => {
    const c = compileSteps('SELF INTENT HARM@harm ~2 VICTIM@target', 'test');
    const { words } = readComment('I will stab him');
    const [m] = findMatches(c, words, indexMessage(words));
    expect(labelled(c, m!, words, 'harm')?.w).toBe('stab');
    expect(labelled(c, m!, words, 'target')?.w).toBe('him');
  });

  it.each([
    ['an unknown tag', 'SELF WIBBLE', /unknown tag WIBBLE/],
    ['a bad gap', 'SELF ~x HARM', /bad gap/],
    ['two words in one step', 'kill&stab', /two words/],
  ])('refuses %s, naming the rule', (_, steps, message) => {
    expect(() => compileSteps(steps, 'rule threat.example')).toThrow(message);
    expect(() => compileSteps(steps, 'rule threat.example')).toThrow(/threat\.example/);
  });
});
