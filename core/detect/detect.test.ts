// What the detector flags, and what it must leave alone, in the council's own kind of comments.
// Written for this project: none of these sentences come from the evaluation data.
import { assessContent, courseOfConduct, type Assessment, type DetectCategory } from './index';
import { ValidationFailed } from '../errors';

function categories(a: Assessment): DetectCategory[] {
  return a.flags.map((f) => f.category).sort();
}

function flagFor(text: string, category: DetectCategory) {
  return assessContent(text).flags.find((f) => f.category === category);
}

/** Every span must point at exactly the text it quotes. */
function expectSpansMatch(text: string, a: Assessment): void {
  for (const f of a.flags) {
    for (const s of f.spans) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(s.start, s.end)).toBe(s.text);
    }
  }
}

describe('threats of violence are flagged', () => {
  it.each([
    ['a stated intention', 'I will kill you'],
    ['against a councillor', "I'm going to stab you, councillor, wait and see"],
    ['against a home', 'We will burn your house down'],
    ['an incitement', 'Someone should shoot the mayor'],
    ['a prediction of death', 'You will die for this'],
    ['a wish of death', 'I hope you die in a fire'],
    ['an imperative', 'Kill all the councillors'],
    ['a call for punishment by violence', 'They should all be hanged for this'],
    ['a deserved beating', 'He deserves a good kicking'],
    ['telling someone to kill themselves', 'Go and kill yourself'],
    ['a veiled threat', 'I know where you live'],
    ['a weapon emoji aimed at someone', 'I am going to 🔪 you'],
    ['a British "wants shooting"', 'He wants shooting'],
    ['a verb split around its victim', 'Someone should run him over'],
  ])('%s: "%s"', (_, text) => {
    const a = assessContent(text);
    expect(categories(a)).toContain('threat');
    expectSpansMatch(text, a);
  });
});

describe('threats written to evade the filter are still flagged', () => {
  it.each([
    ['spaced letters', 'I will k i l l you'],
    ['dotted letters', 'I will k.i.l.l you'],
    ['leetspeak', 'I w1ll k1ll y0u'],
    ['repeated letters', 'I will kiiiiill you'],
    ['a zero-width space inside the word', 'I will k\u200Bill you'],
    ['full-width letters', 'I will ｋｉｌｌ you'],
    ['Cyrillic look-alikes', 'I wіll kіll yоu'],
    ['accents', 'I wíll kïll yöu'],
    ['punctuation inside the word', 'I will ki.ll you'],
    ['a hashtag', '#KillAllCouncillors'],
  ])('%s: "%s"', (_, text) => {
    const a = assessContent(text);
    expect(categories(a)).toContain('threat');
    expectSpansMatch(text, a);
  });
});

describe('everyday and council language is not a threat', () => {
  it.each([
    ['negation', 'I would never hurt anyone'],
    ['a report of a threat', "He said he'd kill me, please help"],
    ['a report from the victim', 'My ex threatened to kill me, what should I do?'],
    ['an idiom', 'This traffic is killing me'],
    ['a bargain', 'Killer deal on the leisure centre memberships'],
    ['industrial action', 'The bin strike is on again next week'],
    ['fire safety', 'Fire safety inspection at the library on Monday'],
    ['a planning application', 'The shooting range planning application should be refused'],
    ['food', 'I could murder a curry after that meeting'],
    ['pest control', 'Please kill the rats in the alley behind the shops'],
    ['waiting', 'Hang on, the meeting has moved to the civic centre'],
    ['an election', 'We will beat them at the election in May'],
    ['a saying', "Don't shoot the messenger"],
    ['the news', 'Two men were stabbed in the park last night, police said'],
    ['praise', 'You will be blown away by the new park'],
    ['tea', 'I would die for a cup of tea right now'],
    ['household chores', 'Take out the bins on Monday night'],
    ['a fine', 'Hit them with a fine for fly tipping'],
    ['a warning about a hazard', 'Someone will hurt themselves on that broken pavement'],
    ['a night out', 'We will take them out for dinner after the meeting'],
    ['a break', 'The clerk deserves a break after that meeting'],
    ['a chore', 'The hedges on Mill Lane need cutting back'],
  ])('%s: "%s"', (_, text) => {
    expect(categories(assessContent(text))).not.toContain('threat');
  });
});

describe('hate is flagged with the characteristic it targets', () => {
  it.each([
    ['Muslims are vermin', 'religion'],
    ['Gays should be exterminated', 'sexual_orientation'],
    ['Immigrants are parasites and should be deported', 'race'],
    ['Disabled people are a burden on everyone', 'disability'],
    ['trannies are disgusting', 'transgender'],
    ['Women are too stupid to be councillors', 'sex_gender'],
    ['Old people are a waste of space', 'age'],
    ['Jews should go back where they came from', 'religion'],
    ['m.u.s.l.i.m.s are v3rmin', 'religion'],
    ['Shut up you f*ggot', 'sexual_orientation'],
    ['p4kis out', 'race'],
    ['Refugees keep arriving here. They are animals.', 'race'],
    ['Go back to your own country', 'race'],
  ])('"%s" → %s', (text, target) => {
    const a = assessContent(text);
    const hate = a.flags.find((f) => f.category === 'hate');
    expect(hate?.target).toBe(target);
    expect(hate?.targets).toContain(target);
    expectSpansMatch(text, a);
  });
});

describe('speech about protected groups that is not hateful is left alone', () => {
  it.each([
    ['counter-speech', 'Calling disabled people that is disgusting'],
    ['condemning racism', 'Racism against Black people is disgusting and has no place here'],
    ['naming oneself', "I'm gay and proud of it"],
    ['speaking as a member', 'As a Muslim I find this decision offensive'],
    ['negation', 'Not all immigrants are criminals'],
    ['disagreement with a premise', 'Immigrants are not the problem, the landlords are'],
    ['a facility', 'The disabled toilet in the library is disgusting'],
    ['bin colours', 'Black bins are collected on Tuesdays'],
    ['a site', "The travellers' site needs new bins"],
    ['a greeting', 'Happy Diwali to all our Hindu residents'],
    ['sport', "Women's football is brilliant"],
    ['a concern', 'Older residents are worried about the bus cuts'],
    ['a report of abuse', 'He called me a paki in the street, please help'],
    ['praise with an intensifier', 'Women in this town are strong as hell'],
    ['one person, not a group', 'The Black residents group met her. She is racist, frankly.'],
    ['inclusion', "We don't want disabled people to be left out of the consultation"],
    ['a feeling', 'Pensioners are worried and upset about the bus cuts'],
    ['a need', 'Refugees are desperate for warm clothes this winter'],
    ['an evacuation', 'The fire plan must get disabled people out safely'],
  ])('%s: "%s"', (_, text) => {
    expect(categories(assessContent(text))).not.toContain('hate');
  });
});

describe('targeted abuse and intimidation are flagged', () => {
  it.each([
    'You are a fucking idiot',
    'Shut up you moron',
    'Cllr Smith is a twat',
    '@cllrjones you absolute cunt',
    'Fuck you',
    'u r a c u n t',
    'Nobody would miss you',
    'I know where you live, watch your back',
  ])('"%s"', (text) => {
    const a = assessContent(text);
    expect(categories(a)).toContain('abuse');
    expectSpansMatch(text, a);
  });
});

describe('criticism of the council is not abuse', () => {
  it.each([
    'The council is useless',
    'Councillor Smith is a liar and should resign',
    'That was an idiotic decision',
    'What a brilliant idea',
    'You are not an idiot for asking',
  ])('"%s"', (text) => {
    expect(categories(assessContent(text))).not.toContain('abuse');
  });
});

describe("staff's personal details are flagged as doxxing", () => {
  it.each([
    'Cllr Smith lives at 12 Acacia Avenue',
    'Her number is 07700 900123, give her a ring',
    "Councillor Patel's kids go to St Mary's primary",
    "The clerk's home address is 4 Park View, AB1 2CD",
  ])('"%s"', (text) => {
    const a = assessContent(text);
    expect(categories(a)).toContain('doxxing');
    expectSpansMatch(text, a);
  });

  it.each([
    'The pothole outside 14 Station Road is getting worse',
    'Call the council on 01632 960001 to report it',
    'My number is 07700 900123 if you need it',
    'Objection to planning application 23/01234/FUL',
  ])('but not addresses of potholes, council numbers or the writer\'s own: "%s"', (text) => {
    expect(categories(assessContent(text))).not.toContain('doxxing');
  });
});

describe('self-harm is flagged as a safeguarding concern, not an offence', () => {
  it.each([
    'I want to kill myself',
    "I can't go on, I'm going to end my life",
    "I've been self harming again",
    'I wish I was dead',
    'My son keeps saying he wants to kill himself',
  ])('"%s"', (text) => {
    const flag = flagFor(text, 'selfharm');
    expect(flag).toBeDefined();
    expect(flag?.offences).toEqual([]);
  });

  it.each([
    'I would never kill myself',
    'I hurt myself tripping on the broken pavement',
    "Don't ever kill yourself, help is out there",
    'The Samaritans are on 116 123, day or night',
  ])('but not: "%s"', (text) => {
    expect(categories(assessContent(text))).not.toContain('selfharm');
  });
});

describe('profanity is flagged only when nothing worse is', () => {
  it.each(['This is shit', 'f.u.c.k this', 'What a load of bollocks', 'The bin strike is a f***ing joke'])(
    '"%s"',
    (text) => {
      const a = assessContent(text);
      expect(categories(a)).toEqual(['profanity']);
      expectSpansMatch(text, a);
    },
  );

  it('is not reported beside abuse', () => {
    expect(categories(assessContent('You are a fucking idiot'))).not.toContain('profanity');
  });

  it.each([
    'Scunthorpe council meeting',
    'Sex education in schools',
    'Blue tits are nesting in the park',
    'An assassin',
  ])('is not found in ordinary words: "%s"', (text) => {
    expect(assessContent(text).flags).toEqual([]);
  });
});

describe('spans point at what the person actually wrote', () => {
  it.each([
    ['dotted letters', 'I will k.i.l.l you', 'I will k.i.l.l you'],
    ['a zero-width space', 'Honestly I w\u200Bill kill you.', 'I w\u200Bill kill you'],
    ['an emoji of two code units', "I'm going to 🔪 you!!", "I'm going to 🔪 you"],
    ['full-width letters', 'oh I will ｋｉｌｌ you', 'I will ｋｉｌｌ you'],
    ['spaced letters', 'so I will k i l l you now', 'I will k i l l you'],
  ])('%s', (_, text, expected) => {
    const threat = assessContent(text).flags.find((f) => f.category === 'threat');
    expect(threat?.spans.map((s) => s.text)).toEqual([expected]);
  });

  it('a slur spelt with dots is quoted as written', () => {
    const text = 'all the m.u.s.l.i.m.s are v3rmin';
    const hate = assessContent(text).flags.find((f) => f.category === 'hate');
    expect(hate?.spans.map((s) => s.text)).toEqual(['m.u.s.l.i.m.s are v3rmin']);
  });
});

describe('offences a flag may amount to', () => {
  it('a threat of death to a person may be an Online Safety Act s181 threatening communication', () => {
    expect(flagFor('I will kill you', 'threat')?.offences).toEqual([
      'malicious_communications_act_1988_s1',
      'communications_act_2003_s127',
      'online_safety_act_2023_s181',
    ]);
  });

  it('racial hatred may be stirring up racial hatred under Part 3 of the Public Order Act', () => {
    expect(flagFor('Immigrants are parasites', 'hate')?.offences).toContain('public_order_act_1986_part3');
  });

  it('religious hatred is Part 3A only when it is threatening', () => {
    expect(flagFor('Muslims are vermin', 'hate')?.offences).not.toContain('public_order_act_1986_part3a');
    expect(flagFor('Kill all the muslims', 'hate')?.offences).toContain('public_order_act_1986_part3a');
  });

  it('a mild insult is not said to be an offence', () => {
    expect(flagFor('Shut up you muppet', 'abuse')).toBeUndefined();
  });

  it('the assessment says whether any flag may be an offence', () => {
    expect(assessContent('I will kill you').mayBeOffence).toBe(true);
    expect(assessContent('I want to kill myself').mayBeOffence).toBe(false);
  });
});

describe('thresholds are configuration', () => {
  it('a higher threshold lets a weaker signal through unflagged', () => {
    const text = 'I would fucking kill him';
    expect(categories(assessContent(text))).toContain('threat');
    expect(categories(assessContent(text, { thresholds: { threat: 0.95 } }))).not.toContain('threat');
  });

  it.each([
    [{ threat: 2 }, 'thresholds.threat'],
    [{ threat: Number.NaN }, 'thresholds.threat'],
    [{ spam: 0.5 } as unknown as Record<string, number>, 'thresholds.spam'],
  ])('rejects %p, naming the field', (thresholds, field) => {
    expect(() => assessContent('hello', { thresholds })).toThrow(ValidationFailed);
    try {
      assessContent('hello', { thresholds });
    } catch (e) {
      expect((e as ValidationFailed).field).toBe(field);
    }
  });

  it('every assessment records the detector version', () => {
    expect(assessContent('hello').detectorVersion).toMatch(/^detect-/);
  });
});

describe('a course of conduct', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const daysAgo = (d: number): Date => new Date(now.getTime() - d * 24 * 60 * 60 * 1000);

  it('raises harassment when enough hostile messages fall in the window, each mild on its own', () => {
    const flag = courseOfConduct(
      [
        { at: daysAgo(1), hostile: true },
        { at: daysAgo(5), hostile: true },
        { at: daysAgo(9), hostile: true },
      ],
      now,
      14,
      3,
    );
    expect(flag?.category).toBe('abuse');
    expect(flag?.offences).toEqual(['protection_from_harassment_act_1997']);
    expect(flag?.reason).toMatch(/3 hostile messages/);
  });

  it.each([
    ['too few', [1, 2], 3],
    ['outside the window', [1, 2, 20], 3],
    ['in the future', [1, 2, -1], 3],
  ])('stays quiet when they are %s', (_, days, threshold) => {
    const recent = (days as number[]).map((d) => ({ at: daysAgo(d), hostile: true }));
    expect(courseOfConduct(recent, now, 14, threshold as number)).toBeNull();
  });

  it('does not count messages that were not hostile', () => {
    const recent = [1, 2, 3].map((d) => ({ at: daysAgo(d), hostile: d === 1 }));
    expect(courseOfConduct(recent, now, 14, 2)).toBeNull();
  });

  it('refuses a threshold below two occasions, as the Act requires', () => {
    expect(() => courseOfConduct([], now, 14, 1)).toThrow(ValidationFailed);
    expect(() => courseOfConduct([], now, 0, 2)).toThrow(ValidationFailed);
  });
});
