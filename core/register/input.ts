// What an officer may enter on the register, as zod schemas the edges (forms and the JSON API) apply
// before anything reaches the rules. Every schema is strict: an unknown field, or an object where text is
// expected (`{"$gt": ""}`), is refused with the field named, so nothing typed can become a query.
import { z } from 'zod';
import { ValidationFailed } from '../errors';
import { canonicalEmail, foldName, foldText, phoneToE164 } from '../identity';
import { addDays, londonDay, londonTimeOn } from '../meetings/london-time';
import { PLATFORMS } from '../platform';
import { RESTRICTION_KINDS, RESTRICTION_STATUSES } from '../restriction';
import { MAX_REVIEW_MONTHS } from './review-date';
import {
  ENDINGS,
  ESCALATION_DECIDERS,
  REVIEW_OUTCOMES,
  SCOPE_LEVELS,
  WEEKDAYS,
  type KindDetails,
} from './types';

/** One problem with one field, for the GOV.UK error summary and the JSON answer. */
export interface FieldError {
  field: string;
  message: string;
}

const text = (max: number, what: string, empty = `Enter ${what.toLowerCase()}`) =>
  z
    .string({ invalid_type_error: `${what} must be text`, required_error: empty })
    .trim()
    .max(max, `${what} must be ${max} characters or fewer`);
const requiredText = (max: number, what: string, empty: string) => text(max, what, empty).min(1, empty);
const optionalText = (max: number, what: string) =>
  text(max, what)
    .optional()
    .transform((v) => (v === '' ? undefined : v));
const list = <T extends z.ZodTypeAny>(item: T, max: number, what: string) =>
  z
    .array(item, { invalid_type_error: `The ${what} must be a list`, required_error: `Enter the ${what}` })
    .max(max, `Enter ${max} ${what} or fewer`);

const email = text(254, 'An e-mail address').superRefine((v, ctx) => {
  const r = canonicalEmail(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.message} (“${v}” is not)` });
});
const phone = text(64, 'A telephone number').superRefine((v, ctx) => {
  const r = phoneToE164(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.message} (“${v}” is not)` });
});
const optionalEmail = optionalText(254, 'An e-mail address').superRefine((v, ctx) => {
  const r = v === undefined ? undefined : canonicalEmail(v);
  if (r && !r.ok) ctx.addIssue({ code: 'custom', message: `${r.message} (“${v}” is not)` });
});
const optionalPhone = optionalText(64, 'A telephone number').superRefine((v, ctx) => {
  const r = v === undefined ? undefined : phoneToE164(v);
  if (r && !r.ok) ctx.addIssue({ code: 'custom', message: `${r.message} (“${v}” is not)` });
});

/** A whole number typed in a form or sent in JSON; an empty form field means "not given". */
const wholeNumber = (what: string) =>
  z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.coerce
      .number({ invalid_type_error: `Enter ${what} as a number` })
      .int(`Enter ${what} as a whole number`),
  );

const name = requiredText(200, 'A name', 'Enter the person’s name').refine(
  (v) => foldName(v) !== undefined,
  'A name must contain at least one letter',
);

/** A day typed by an officer ("2026-03-01"), as the start of that London day; never later than `today`. */
function pastDay(what: string, at: Date) {
  const today = londonDay(at);
  return z
    .string({
      required_error: `Enter the date ${what}`,
      invalid_type_error: `The date ${what} must be a date`,
    })
    .trim()
    .superRefine((v, ctx) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      const real =
        m &&
        new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === v;
      if (!real)
        ctx.addIssue({ code: 'custom', message: `The date ${what} must be a real date, like 27 3 2026` });
      else if (v > today)
        ctx.addIssue({ code: 'custom', message: `The date ${what} must be today or in the past` });
      else if (v < addDays(today, -365 * 30))
        ctx.addIssue({ code: 'custom', message: `The date ${what} must be within the last 30 years` });
    })
    .transform((v) => londonTimeOn(v, 0, 0));
}

const socialAccount = z
  .object(
    {
      platform: z.enum(PLATFORMS, { message: `Choose the platform: ${PLATFORMS.join(', ')}` }),
      accountId: text(256, 'An account id').default(''),
      handle: optionalText(100, 'A handle').transform((h) => h?.replace(/^@/, '')),
      handleHistory: list(
        requiredText(100, 'A former handle', 'Enter the former handle').transform((h) => h.replace(/^@/, '')),
        20,
        'former handles',
      ).default([]),
    },
    { invalid_type_error: 'Each social media account must have a platform, account id and handle' },
  )
  .strict()
  .refine(
    (a) => a.accountId !== '' || a.handle !== undefined,
    'Enter the account id or the handle of each social media account',
  );

/** The person: every identifier the matching engine uses, and what staff need to know to deal with them safely. */
export const personFields = {
  names: z
    .array(name, {
      required_error: 'Enter the person’s name',
      invalid_type_error: 'The names must be a list',
    })
    .min(1, 'Enter the person’s name')
    .max(20, 'Enter 20 names or fewer'),
  emails: list(email, 20, 'e-mail addresses').default([]),
  phones: list(phone, 20, 'telephone numbers').default([]),
  addresses: list(requiredText(500, 'An address', 'Enter the address'), 10, 'addresses').default([]),
  socialAccounts: list(socialAccount, 20, 'social media accounts').default([]),
  supportWorker: optionalText(200, 'The support worker’s name'),
  supportWorkerOrganisation: optionalText(200, 'The support worker’s organisation'),
  supportWorkerArrangement: optionalText(1000, 'The arrangement with the support worker'),
  wardCouncillors: list(
    requiredText(200, 'A ward councillor', 'Enter the ward councillor'),
    10,
    'ward councillors',
  ).default([]),
  staffSafetyReference: optionalText(100, 'The staff-safety warning reference'),
  confidentialNotes: optionalText(5000, 'Confidential notes'),
};

export const personInputSchema = z.object(personFields).strict();
export type PersonInput = z.output<typeof personInputSchema>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function restrictionFields(at: Date) {
  return {
    kinds: z
      .array(z.enum(RESTRICTION_KINDS, { message: 'Choose a kind of restriction from the list' }), {
        required_error: 'Select at least one kind of restriction',
        invalid_type_error: 'The kinds of restriction must be a list',
      })
      .min(1, 'Select at least one kind of restriction')
      .transform((kinds) => [...new Set(kinds)]),
    scopeLevel: z.enum(SCOPE_LEVELS, { message: 'Choose where the restriction applies' }).default('council'),
    scopeName: optionalText(200, 'The service or committee'),
    reason: requiredText(5000, 'The behaviour', 'Describe the behaviour that led to this proposal'),
    proposingService: requiredText(
      200,
      'The proposing service',
      'Enter the service proposing the restriction',
    ),
    phoneDays: list(z.enum(WEEKDAYS, { message: 'Choose days of the week' }), 7, 'days').default([]),
    phoneFrom: optionalText(5, 'The start time').refine(
      (v) => v === undefined || HHMM.test(v),
      'Enter the start time as hours and minutes, like 10:00',
    ),
    phoneTo: optionalText(5, 'The end time').refine(
      (v) => v === undefined || HHMM.test(v),
      'Enter the end time as hours and minutes, like 12:00',
    ),
    timeLimitMinutes: z.preprocess(
      (v) => (v === '' || v === null ? undefined : v),
      z.coerce
        .number({ invalid_type_error: 'Enter the time limit as a number of minutes' })
        .int('Enter the time limit as a whole number of minutes')
        .min(5, 'The time limit must be at least 5 minutes')
        .max(240, 'The time limit must be 240 minutes or fewer')
        .optional(),
    ),
    contactName: optionalText(200, 'The contact’s name'),
    contactTeam: optionalText(200, 'The team'),
    contactEmail: optionalEmail,
    contactPhone: optionalPhone,
    sameMatter: optionalText(1000, 'The matter'),
    wardCouncillorArrangements: optionalText(2000, 'The ward councillor arrangements'),
    incidentOn: pastDay('of the incident', at).optional(),
    incidentDescription: optionalText(5000, 'The incident'),
  };
}

type RestrictionFieldsOut = z.output<z.ZodObject<ReturnType<typeof restrictionFields>>>;

/** Details the chosen kinds need (policy §14: the customer is told exactly how and when). */
function checkKindDetails(v: RestrictionFieldsOut, ctx: z.RefinementCtx): void {
  const need = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  if (v.scopeLevel !== 'council' && !v.scopeName)
    need('scopeName', `Enter the name of the ${v.scopeLevel} the restriction applies to`);
  if (v.kinds.includes('phone_days_times')) {
    if (v.phoneDays.length === 0) need('phoneDays', 'Select the days the person may telephone');
    if (!v.phoneFrom) need('phoneFrom', 'Enter the time telephone calls may start, like 10:00');
    if (!v.phoneTo) need('phoneTo', 'Enter the time telephone calls must end, like 12:00');
    if (v.phoneFrom && v.phoneTo && v.phoneFrom >= v.phoneTo)
      need('phoneTo', 'The end time must be after the start time');
  }
  if (v.kinds.includes('contact_time_limit') && v.timeLimitMinutes === undefined)
    need('timeLimitMinutes', 'Enter the time limit in minutes');
  if (
    (v.kinds.includes('named_contact') || v.kinds.includes('auto_divert')) &&
    !v.contactName &&
    !v.contactTeam
  ) {
    need('contactName', 'Enter the named contact or team');
  }
  if (v.kinds.includes('stop_processing_same_matter') && !v.sameMatter)
    need('sameMatter', 'Describe the matter that has been answered in full');
  if (v.incidentOn && !v.incidentDescription) need('incidentDescription', 'Describe the incident');
  if (v.incidentDescription && !v.incidentOn) need('incidentOn', 'Enter the date of the incident');
}

export function restrictionInputSchema(at: Date) {
  return z.object(restrictionFields(at)).strict().superRefine(checkKindDetails);
}
export type RestrictionInput = z.output<ReturnType<typeof restrictionInputSchema>>;

/** A new person and the first restriction proposed for them. */
export function proposalInputSchema(at: Date) {
  return z
    .object({ ...personFields, ...restrictionFields(at) })
    .strict()
    .superRefine((v, ctx) => checkKindDetails(v, ctx));
}
export type ProposalInput = z.output<ReturnType<typeof proposalInputSchema>>;

/** The per-kind details stored with a restriction, from a validated proposal. */
export function kindDetailsFrom(v: RestrictionInput | ProposalInput): KindDetails {
  const details: KindDetails = {};
  if (v.kinds.includes('phone_days_times') && v.phoneFrom && v.phoneTo)
    details.phone = { days: v.phoneDays, from: v.phoneFrom, to: v.phoneTo };
  if (v.kinds.includes('contact_time_limit') && v.timeLimitMinutes !== undefined)
    details.timeLimitMinutes = v.timeLimitMinutes;
  if (v.kinds.includes('named_contact') || v.kinds.includes('auto_divert')) {
    details.namedContact = {
      name: v.contactName,
      team: v.contactTeam,
      email: v.contactEmail,
      phone: v.contactPhone,
    };
  }
  if (v.kinds.includes('stop_processing_same_matter') && v.sameMatter) details.sameMatter = v.sameMatter;
  return details;
}

/** Policy §15: a review period, never more than six months; the date itself is computed from it. */
const months = () =>
  wholeNumber('the review period').pipe(
    z
      .number({ required_error: 'Choose a review period' })
      .refine(
        (m) => m >= 1 && m <= MAX_REVIEW_MONTHS,
        'Choose a review period of six months or less: policy says a restriction is reviewed at least every six months',
      ),
  );

export const approvalInputSchema = z
  .object({
    reviewInMonths: months(),
    reason: requiredText(5000, 'The reason', 'Explain why the restriction is needed and proportionate'),
  })
  .strict();

export const reviewInputSchema = z
  .object({
    outcome: z.enum(REVIEW_OUTCOMES, { message: 'Choose the outcome of the review' }),
    reasons: requiredText(5000, 'The reasons', 'Give the reasons for the outcome of the review'),
    nextReviewInMonths: months().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome === 'continue' && v.nextReviewInMonths === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['nextReviewInMonths'],
        message: 'Choose when the restriction will next be reviewed',
      });
    }
  });

export const endInputSchema = z
  .object({
    ending: z
      .enum(ENDINGS, { message: 'Choose whether the restriction is lifted or has expired' })
      .default('lifted'),
    reason: requiredText(5000, 'The reason', 'Give the reason for lifting the restriction'),
  })
  .strict();

export function representationInputSchema(at: Date) {
  return z
    .object({
      receivedOn: pastDay('the representation was received', at),
      summary: requiredText(5000, 'The summary', 'Summarise what the customer said'),
      response: optionalText(5000, 'The council’s response'),
    })
    .strict();
}

export function escalationInputSchema(at: Date) {
  return z
    .object({
      decidedBy: z.enum(ESCALATION_DECIDERS, {
        message: 'Choose who decided: the Head of Legal Services or the Chief Strategy Officer',
      }),
      decision: requiredText(5000, 'The decision', 'Describe the decision'),
      decidedOn: pastDay('of the decision', at),
    })
    .strict();
}

export function incidentInputSchema(at: Date) {
  return z
    .object({
      occurredOn: pastDay('of the incident', at),
      description: requiredText(5000, 'The incident', 'Describe the incident'),
    })
    .strict();
}

export const matchDecisionInputSchema = z.object({ note: optionalText(1000, 'The note') }).strict();

export const REVIEW_DUE_FILTERS = ['overdue', 'due_soon'] as const;

/** The register list's filters and search, from a query string. Empty choices mean "any". */
const anyChoice = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const registerFiltersSchema = z
  .object({
    status: anyChoice(z.enum(RESTRICTION_STATUSES, { message: 'Choose a status from the list' })),
    kind: anyChoice(z.enum(RESTRICTION_KINDS, { message: 'Choose a kind of restriction from the list' })),
    service: optionalText(200, 'The service'),
    reviewDue: anyChoice(z.enum(REVIEW_DUE_FILTERS, { message: 'Choose overdue or due within 14 days' })),
    q: optionalText(200, 'The search'),
  })
  .strict();
export type RegisterFilters = z.output<typeof registerFiltersSchema>;

/** Whether any of the person's names contains the search, ignoring case and accents. */
export function nameMatchesSearch(names: readonly string[], q: string | undefined): boolean {
  if (!q) return true;
  const wanted = foldText(q).trim();
  return names.some((n) => foldText(n).includes(wanted));
}

const COMPUTED_FIELDS: Record<string, string> = {
  reviewDue:
    'The review date is worked out from the date of the decision: choose a review period of six months or less instead',
  nextReviewDue:
    'The review date is worked out from the date of the review: choose a review period of six months or less instead',
  status: 'The status changes only by proposing, approving, reviewing or lifting a restriction',
};

/** Every problem, one per field, in the order of the form. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          field: key,
          message: COMPUTED_FIELDS[key] ?? `“${key.slice(0, 60)}” is not something you can enter here`,
        });
      }
      continue;
    }
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: issue.message });
  }
  return out;
}

/** Parses or throws ValidationFailed naming the first field (for the JSON API and the rules). */
export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = fieldErrors(parsed.error)[0] ?? { field: '', message: 'Check what you entered' };
  throw new ValidationFailed(first.field, first.message);
}
