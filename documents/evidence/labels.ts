// The words the pack uses for platforms, offences and hate-crime characteristics. Offences and
// characteristics are the detector's own values (core/detect/types), so a flag and a referral
// name an offence the same way.

import { CHARACTERISTIC_LABELS, OFFENCE_LABELS, type Characteristic, type Offence } from '../../core/detect/types';
import type { Platform } from '../../core/platform';

const PLATFORM_NAMES: Record<Platform, string> = {
  x: 'X (Twitter)',
  facebook: 'Facebook',
  instagram: 'Instagram',
  simulated: 'Simulated platform (demonstration)',
};

export function platformName(platform: Platform): string {
  return PLATFORM_NAMES[platform];
}

/** The Act and section in full, as the summary states them. */
export function offenceLabel(offence: Offence): string {
  return OFFENCE_LABELS[offence];
}

/** The Act and section alone, for narrow table columns. */
const OFFENCE_SHORT_LABELS: Record<Offence, string> = {
  public_order_act_1986_part3: 'Public Order Act 1986 Pt 3',
  public_order_act_1986_part3a: 'Public Order Act 1986 Pt 3A',
  malicious_communications_act_1988_s1: 'Malicious Communications Act 1988 s1',
  communications_act_2003_s127: 'Communications Act 2003 s127',
  online_safety_act_2023_s181: 'Online Safety Act 2023 s181',
  protection_from_harassment_act_1997: 'Protection from Harassment Act 1997',
};

export function offenceShortLabel(offence: Offence): string {
  return OFFENCE_SHORT_LABELS[offence];
}

/** "Religion or belief": the characteristic a hate crime is directed at, as a heading reads it. */
export function hateCrimeLabel(characteristic: Characteristic): string {
  const label = CHARACTERISTIC_LABELS[characteristic];
  return label.charAt(0).toUpperCase() + label.slice(1);
}
