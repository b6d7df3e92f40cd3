// The vocabulary of content assessment: what a flag is, which categories and protected
// characteristics exist, and which offences a flag may amount to. Plain data, no behaviour.

/** What the detector looks for. `profanity` means swearing and nothing worse (see assess.ts). */
export const DETECT_CATEGORIES = ['threat', 'hate', 'abuse', 'doxxing', 'selfharm', 'profanity'] as const;
export type DetectCategory = (typeof DETECT_CATEGORIES)[number];

/** Policy: aggressive or derogatory content related to these is reported as hate crime. */
export const CHARACTERISTICS = [
  'disability',
  'race',
  'religion',
  'sexual_orientation',
  'transgender',
  'sex_gender',
  'age',
] as const;
export type Characteristic = (typeof CHARACTERISTICS)[number];

export const CHARACTERISTIC_LABELS: Record<Characteristic, string> = {
  disability: 'disability',
  race: 'race, colour, nationality or ethnic origin',
  religion: 'religion or belief',
  sexual_orientation: 'sexual orientation',
  transgender: 'transgender identity',
  sex_gender: 'sex or gender',
  age: 'age',
};

/** Offences a flag "may amount to": an officer and the police decide, never this code. */
export const OFFENCES = [
  'public_order_act_1986_part3',
  'public_order_act_1986_part3a',
  'malicious_communications_act_1988_s1',
  'communications_act_2003_s127',
  'online_safety_act_2023_s181',
  'protection_from_harassment_act_1997',
] as const;
export type Offence = (typeof OFFENCES)[number];

export const OFFENCE_LABELS: Record<Offence, string> = {
  public_order_act_1986_part3: 'Public Order Act 1986, Part 3 (stirring up racial hatred)',
  public_order_act_1986_part3a:
    'Public Order Act 1986, Part 3A (stirring up hatred on grounds of religion or sexual orientation, threatening words)',
  malicious_communications_act_1988_s1:
    'Malicious Communications Act 1988, s1 (threatening or grossly offensive message)',
  communications_act_2003_s127:
    'Communications Act 2003, s127 (grossly offensive or menacing message over a public network)',
  online_safety_act_2023_s181:
    'Online Safety Act 2023, s181 (threatening communication: death or serious harm)',
  protection_from_harassment_act_1997:
    'Protection from Harassment Act 1997 (harassment: a course of conduct)',
};

/** A stretch of the ORIGINAL text, in UTF-16 code units as JavaScript indexes strings: [start, end). */
export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Flag {
  category: DetectCategory;
  /** 0..1; a flag is only reported at or above its category's threshold. */
  score: number;
  /** The words in the original text that caused the flag. Empty for a course of conduct. */
  spans: Span[];
  /** Plain English, for the officer reading the dashboard. */
  reason: string;
  /** Hate only: the protected characteristic the content is directed at (the strongest signal's). */
  target?: Characteristic;
  /** Hate only: every characteristic named in the hateful parts. */
  targets?: Characteristic[];
  /** Offences the content may amount to; empty for safeguarding, doxxing and plain profanity. */
  offences: Offence[];
  /** Ids of the detector rules that fired, for the audit trail. */
  rules: string[];
}

export interface Assessment {
  /** Flags at or above threshold, highest score first. */
  flags: Flag[];
  /** True when any flag names an offence it may amount to (a candidate for police referral). */
  mayBeOffence: boolean;
  /** Identifies the rules and lexicons used, so a past assessment can be reproduced. */
  detectorVersion: string;
}

export type Thresholds = Record<DetectCategory, number>;

/** Chosen so that one clear signal (a stated intent, a slur, a dehumanising claim) is enough. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  threat: 0.5,
  hate: 0.5,
  abuse: 0.5,
  doxxing: 0.5,
  selfharm: 0.5,
  profanity: 0.5,
};

export interface AssessOptions {
  /** Per-category thresholds (0..1); missing ones take DEFAULT_THRESHOLDS. */
  thresholds?: Partial<Thresholds>;
}
