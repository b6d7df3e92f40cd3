// The word classes the lexicons assign and the rules test (e.g. HARM, VICTIM, GROUP). A token's
// classes are kept as a two-word bit set so that testing a rule step is a couple of integer ANDs.

export const TAG_NAMES = [
  // who
  'SELF', // I, we (as subject)
  'SELF_OBJ', // me, us, myself
  'MYSELF', // myself (self-harm)
  'YOU', // you, u, ya
  'YOURSELF',
  'YOUR',
  'THIRD', // he, she, they, him, her, them
  'PERSON', // people, guy, family, anyone
  'STAFF', // councillor, officer, clerk
  'GROUP', // a group defined by a protected characteristic
  'SLUR',
  'COLOUR', // black, white, brown: a group only before a person noun
  'NAME', // a capitalised word mid-sentence
  'MENTION', // @handle
  'VICTIM', // computed: any of the above that can be harmed (not the writer)
  // what
  'HARM', // violent verb or noun
  'DIE', // die, dead, death
  'WEAPON',
  'GENOCIDE',
  'VB', // base or present form of a harm verb
  'VBN', // past or passive form
  'VBG', // -ing form
  // stance
  'INTENT', // will, gonna, going to
  'COND', // would, could
  'DEONTIC', // should, must, deserve to
  'WISH', // hope, wish, pray
  'WANT', // want to, would love to
  'NEG', // not, never, no one
  'ANTI', // stop, prevent, against
  'COPULA',
  'FILLER', // words a rule may step over: a, the, fucking, just
  'ALL', // all, every, these
  'REPORT', // said, told, threatened
  'HELP', // help, police, scared
  'APPROVE', // glad, good, love
  'COUNTER', // racism, bigotry, hate speech
  // judgement
  'INSULT',
  'NEG_ADJ', // stupid, filthy, evil
  'NEG_EVAL', // a negative judgement from the AFINN valence list: selfish, greedy, dangerous
  'POS_EVAL', // a positive one (strong, kind, lovely): never skipped as a mere modifier
  'DEHUMAN', // vermin, parasites, animals
  'SMEAR', // terrorists, rapists, groomers
  'EXPEL', // deport, ban, send back
  'HATE_VERB', // hate, despise
  'PROFANE', // fuck (as a verb aimed at someone)
  'DOX', // lives, address, wife, kids, school
  'COMMUNITY', // country, town, culture, society: what a group is said to ruin
  'FAMILY',
  'NOT_HUMAN', // subhuman, not human, should not exist
  'SELFHARM', // suicidal, end my life
  'POSS', // a possessive: "councillor's"
  'NUMBER',
  'BODY', // head, face, ass: "smash his face in" aims at a person
  'UNKNOWN', // a word no list knows: often a noun ("a toxic relationship")
] as const;
export type TagName = (typeof TAG_NAMES)[number];

const INDEX = new Map<string, number>(TAG_NAMES.map((n, i) => [n, i]));

/** A set of tags: bits 0..29 in `a`, 30..59 in `b`. */
export interface TagSet {
  a: number;
  b: number;
}

export function emptyTags(): TagSet {
  return { a: 0, b: 0 };
}

export function isTagName(name: string): name is TagName {
  return INDEX.has(name);
}

export function addTag(set: TagSet, name: TagName): void {
  const i = INDEX.get(name)!;
  if (i < 30) set.a |= 1 << i;
  else set.b |= 1 << (i - 30);
}

export function tagsOf(names: readonly TagName[]): TagSet {
  const s = emptyTags();
  for (const n of names) addTag(s, n);
  return s;
}

export function bit(name: TagName): TagSet {
  return tagsOf([name]);
}

export function hasAll(set: TagSet, want: TagSet): boolean {
  return (set.a & want.a) === want.a && (set.b & want.b) === want.b;
}

export function hasAny(set: TagSet, want: TagSet): boolean {
  return (set.a & want.a) !== 0 || (set.b & want.b) !== 0;
}

export function merge(into: TagSet, from: TagSet): void {
  into.a |= from.a;
  into.b |= from.b;
}

export function remove(from: TagSet, what: TagSet): void {
  from.a &= ~what.a;
  from.b &= ~what.b;
}

export function tagNamesIn(set: TagSet): TagName[] {
  return TAG_NAMES.filter((n) => hasAll(set, bit(n)));
}

/** Tags that make a token something a threat can be aimed at. */
export const VICTIM_SOURCES = tagsOf([
  'YOU',
  'THIRD',
  'PERSON',
  'STAFF',
  'GROUP',
  'SLUR',
  'NAME',
  'MENTION',
  'INSULT',
]);
