// Content assessment: threats, hate, abuse, doxxing, self-harm and swearing in a comment or
// speaking request, and the course-of-conduct check for one author. Pure: no I/O, no clock.
export { assessContent, checkedThresholds, DETECTOR_VERSION } from './assess';
export { courseOfConduct, type HostileMessage } from './conduct';
export {
  CHARACTERISTICS,
  CHARACTERISTIC_LABELS,
  DEFAULT_THRESHOLDS,
  DETECT_CATEGORIES,
  OFFENCES,
  OFFENCE_LABELS,
  type Assessment,
  type AssessOptions,
  type Characteristic,
  type DetectCategory,
  type Flag,
  type Offence,
  type Span,
  type Thresholds,
} from './types';
