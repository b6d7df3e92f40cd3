// Which offences a flag "may amount to". Policy: grossly offensive or threatening content may be an
// offence; the officer and the police decide. This only names the Acts an officer should consider.
import type { Characteristic, DetectCategory, Offence } from './types';

export interface OffenceFacts {
  category: DetectCategory;
  score: number;
  /** A threat of death or serious harm aimed at an identifiable person (OSA 2023 s181). */
  seriousThreatToPerson: boolean;
  characteristics: Characteristic[];
  /** The same comment also carries a threat flag. */
  threatening: boolean;
}

export function offencesFor(f: OffenceFacts): Offence[] {
  switch (f.category) {
    case 'threat': {
      const out: Offence[] = ['malicious_communications_act_1988_s1', 'communications_act_2003_s127'];
      if (f.seriousThreatToPerson) out.push('online_safety_act_2023_s181');
      return out;
    }
    case 'hate': {
      const out: Offence[] = [];
      // POA 1986 Part 3: threatening, abusive or insulting material likely to stir up racial hatred.
      if (f.characteristics.includes('race')) out.push('public_order_act_1986_part3');
      // Part 3A covers religion and sexual orientation, and only threatening words.
      if (
        f.threatening &&
        (f.characteristics.includes('religion') || f.characteristics.includes('sexual_orientation'))
      )
        out.push('public_order_act_1986_part3a');
      out.push('malicious_communications_act_1988_s1', 'communications_act_2003_s127');
      return out;
    }
    case 'abuse':
      // An insult is not an offence; grossly offensive or menacing content may be.
      return f.score >= 0.7 ? ['malicious_communications_act_1988_s1', 'communications_act_2003_s127'] : [];
    case 'doxxing':
    case 'selfharm':
    case 'profanity':
      return [];
  }
}
