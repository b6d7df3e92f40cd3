// What happens to a comment, from who wrote it (register matches) and what it says (content
// flags), under the council's policy configuration. Pure: the clock and the policy are passed in.
// Policy: a person is never blocked on a guess — only an enforceable match acts automatically.
import { isInForce, type Restriction, type RestrictionKind } from './restriction';

/** A register match as the matching engine reports it. */
export interface AuthorMatch {
  personId: string;
  personName: string;
  /** True only for an exact platform account id, e-mail or phone, or an officer's confirmation. */
  enforceable: boolean;
  rule: string;
  detail: string;
  restrictions: Restriction[];
}

/** A content flag as the detector reports it (category and a plain-English reason). */
export interface ContentFlag {
  category: string;
  score: number;
  reason: string;
}

/** Which actions run without an officer; production differences are settings, not code. */
export interface ModerationPolicy {
  /** Hide comments from an enforceable match with an in-force social-media block. */
  autoHideRestricted: boolean;
  /** Also block (or mute, where the platform plan allows no block) that account. */
  autoBlockRestricted: boolean;
  /** Categories whose flag sends a comment to an officer (never acted on automatically). */
  reviewCategories: readonly string[];
  /** Per-category detector thresholds (0..1); unset ones take the detector's defaults. */
  detectorThresholds?: Partial<Record<string, number>>;
  /** Repeated hostile messages within the window raise a harassment flag (PHA 1997: two or more occasions). */
  courseOfConduct: { windowDays: number; threshold: number; mildLevel: number };
}

export const DEFAULT_POLICY: ModerationPolicy = {
  autoHideRestricted: true,
  autoBlockRestricted: true,
  reviewCategories: ['threat', 'hate', 'abuse', 'doxxing', 'selfharm'],
  /** Mild hostility (score ≥ 0.3, below the flag threshold) still counts towards a course of conduct. */
  courseOfConduct: { windowDays: 28, threshold: 3, mildLevel: 0.3 },
};

export type DecisionOutcome = 'none' | 'hide' | 'officer_review';

export interface Decision {
  outcome: DecisionOutcome;
  /** Platform actions to run now, automatically. */
  actions: ('hide' | 'block')[];
  reasons: { rule: string; detail: string }[];
  personId?: string;
  personName?: string;
  restrictionKinds: RestrictionKind[];
  decidedAt: Date;
  decidedBy: string;
}

export function decideOnComment(input: {
  matches: readonly AuthorMatch[];
  flags: readonly ContentFlag[];
  policy: ModerationPolicy;
  at: Date;
}): Decision {
  const { matches, flags, policy, at } = input;
  const reasons: Decision['reasons'] = [];
  const actions = new Set<'hide' | 'block'>();
  let outcome: DecisionOutcome = 'none';
  let person: AuthorMatch | undefined;
  const kinds = new Set<RestrictionKind>();

  for (const m of matches) {
    const blocking = m.restrictions.filter((r) => isInForce(r, at) && r.kinds.includes('social_media_block'));
    if (blocking.length === 0) continue;
    person ??= m;
    blocking.forEach((r) => r.kinds.forEach((k) => kinds.add(k)));
    if (m.enforceable && policy.autoHideRestricted) {
      outcome = 'hide';
      actions.add('hide');
      if (policy.autoBlockRestricted) actions.add('block');
      reasons.push({ rule: 'register.social_media_block', detail: `${m.personName} has an active block from the council's social media (${m.detail})` });
      person = m;
    } else {
      if (outcome === 'none') outcome = 'officer_review';
      reasons.push({ rule: 'register.needs_confirmation', detail: `Possible match to ${m.personName} (${m.detail}): an officer must confirm before anything is done` });
    }
  }

  for (const f of flags) {
    if (!policy.reviewCategories.includes(f.category)) continue;
    if (outcome === 'none') outcome = 'officer_review';
    reasons.push({ rule: `content.${f.category}`, detail: f.reason });
  }

  return {
    outcome,
    actions: [...actions],
    reasons,
    personId: person?.personId,
    personName: person?.personName,
    restrictionKinds: [...kinds],
    decidedAt: at,
    decidedBy: 'rule:moderation-policy',
  };
}
