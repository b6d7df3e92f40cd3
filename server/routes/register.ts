// The register of restricted customers: list, search and export; a person's page and timeline; the
// propose / approve / review / lift forms; written confirmations; reviews due; and the queue of
// suggested matches for an officer to confirm or reject. Each form also answers JSON (same path).
// Never shows a moderator (or anyone without register.viewConfidential) more than name, kinds and dates.
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Redis } from 'ioredis';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { formatCouncilDate, londonDay } from '../../core/meetings/london-time';
import { arrangementsInWords } from '../../core/register/arrangements';
import { personSummary, registerName, restrictionSummary } from '../../core/register/disclosure';
import {
  approvalInputSchema,
  endInputSchema,
  escalationInputSchema,
  reviewInputSchema,
  fieldErrors,
  incidentInputSchema,
  matchDecisionInputSchema,
  parseOrThrow,
  personInputSchema,
  proposalInputSchema,
  registerFiltersSchema,
  representationInputSchema,
  restrictionInputSchema,
  type FieldError,
} from '../../core/register/input';
import {
  approve,
  end,
  mayApprove,
  mayReviewOrEnd,
  review,
  type ActingOfficer,
  type Move,
} from '../../core/register/lifecycle';
import { ValidationFailed } from '../../core/errors';
import { REVIEW_PERIODS_IN_MONTHS } from '../../core/register/review-date';
import { REVIEW_MEETING_COLUMNS, reviewMeetingRows } from '../../core/register/review-meeting';
import { reviewsDue } from '../../core/register/reviews-due';
import {
  ESCALATION_DECIDER_LABELS,
  ESCALATION_DECIDERS,
  WEEKDAYS,
  type PersonRecord,
  type RestrictionRecord,
} from '../../core/register/types';
import { RESTRICTION_KIND_LABELS, RESTRICTION_KINDS, RESTRICTION_STATUSES } from '../../core/restriction';
import { PLATFORMS } from '../../core/platform';
import { can } from '../../core/roles';
import {
  restrictionLetterPdf,
  type RestrictionLetterInput,
} from '../../documents/letters/restriction-letter';
import type { Store } from '../../store/connection';
import { recentlyDecided, withModeration } from '../../store/comments';
import { registerChangePublisher } from '../../store/register-changes';
import { RegisterRecords } from '../../store/register-records';
import { requirePermission } from '../auth';
import { HttpError } from '../http-errors';

/** Who the letters come from. A setting in production; the demo council by default. */
export interface CouncilIdentity {
  name: string;
  addressLines: string[];
  /** How a customer makes representations, in the letter's words. */
  representationsHow: string;
}

export const DEMO_COUNCIL: CouncilIdentity = {
  name: 'Exampleton District Council',
  addressLines: ['Town Hall', 'High Street', 'Exampleton EX1 1AA'],
  representationsHow: 'Write to the authorising officer named below at the Town Hall, quoting our reference.',
};

export interface RegisterRouteDeps {
  store: Store;
  /** For change notices to the workers' matching indexes. */
  redis: Redis;
  queuePrefix: string;
  council?: CouncilIdentity;
  now?: () => Date;
}

const SOCIAL_ROWS = 3;
/** Form fields typed one per line. */
const LINE_FIELDS = ['names', 'emails', 'phones', 'addresses', 'wardCouncillors'] as const;
/** Form fields sent as checkboxes (absent when none is ticked). */
const CHECKBOX_FIELDS = ['kinds', 'phoneDays'] as const;
const RESTRICTION_CHECKBOXES = CHECKBOX_FIELDS;
const DATE_FIELDS = ['incidentOn', 'receivedOn', 'decidedOn', 'occurredOn'] as const;

const RECORD_KINDS = {
  representation: {
    title: 'Record a representation from the customer',
    schema: representationInputSchema,
    list: 'representations',
  },
  escalation: { title: 'Record an escalation decision', schema: escalationInputSchema, list: 'escalations' },
  incident: { title: 'Record an incident', schema: incidentInputSchema, list: 'incidents' },
} as const;
type RecordKindName = keyof typeof RECORD_KINDS;

/** Where the error summary links to for each field (the first input of a group). */
function anchorFor(field: string): string {
  if (field === 'socialAccounts') return '#socialPlatform-1';
  if (field === 'kinds') return '#kinds';
  if (field === 'phoneDays') return '#phoneDays';
  if ((DATE_FIELDS as readonly string[]).includes(field)) return `#${field}-day`;
  return `#${field}`;
}

function isJson(req: Request): boolean {
  return req.is('application/json') === 'application/json';
}

/**
 * A form body in the shape the JSON API takes: lines to lists, ticked boxes to lists, the three social
 * media rows to accounts, GOV.UK day/month/year inputs to "YYYY-MM-DD". A JSON body is taken as sent.
 */
function bodyToInput(
  req: Request,
  checkboxes: readonly (typeof CHECKBOX_FIELDS)[number][] = [],
): { input: Record<string, unknown>; values: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...(req.body as Record<string, unknown> | undefined) };
  delete body._csrf;
  if (isJson(req)) return { input: body, values: body };
  const values: Record<string, unknown> = { ...body };
  for (const f of LINE_FIELDS) {
    if (typeof body[f] === 'string') {
      body[f] = (body[f] as string)
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    }
  }
  for (const f of checkboxes) values[f] = body[f] = body[f] === undefined ? [] : [body[f]].flat();
  if (Object.keys(body).some((k) => k.startsWith('socialPlatform-'))) {
    const accounts: unknown[] = [];
    const rows = Object.keys(body)
      .map((k) => /^socialPlatform-(\d{1,2})$/.exec(k)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const i of rows) {
      const row = {
        platform: body[`socialPlatform-${i}`],
        accountId: body[`socialAccountId-${i}`] ?? '',
        handle: body[`socialHandle-${i}`] ?? '',
        handleHistory: String(body[`socialFormerHandles-${i}`] ?? '')
          .split(/[\s,]+/)
          .filter(Boolean),
      };
      for (const k of ['socialPlatform', 'socialAccountId', 'socialHandle', 'socialFormerHandles'])
        delete body[`${k}-${i}`];
      if (String(row.accountId).trim() || String(row.handle).trim()) accounts.push(row);
    }
    body.socialAccounts = accounts;
  }
  for (const f of DATE_FIELDS) {
    const part = (p: string) => String(body[`${f}-${p}`] ?? '').trim();
    const [d, m, y] = [part('day'), part('month'), part('year')];
    for (const p of ['day', 'month', 'year']) delete body[`${f}-${p}`];
    if (d || m || y) body[f] = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  }
  return { input: body, values };
}

/** Enough rows for every account the person has, and one more. */
function socialRowsFor(person: PersonRecord): number[] {
  return Array.from({ length: Math.max(SOCIAL_ROWS, person.socialAccounts.length + 1) }, (_, i) => i + 1);
}

/** A person's record in the form's own fields, to change it. */
function personFormValues(person: PersonRecord): Record<string, unknown> {
  const values: Record<string, unknown> = { ...person };
  for (const f of LINE_FIELDS) values[f] = person[f].join('\n');
  person.socialAccounts.forEach((a, i) => {
    values[`socialPlatform-${i + 1}`] = a.platform;
    values[`socialAccountId-${i + 1}`] = a.accountId;
    values[`socialHandle-${i + 1}`] = a.handle ?? '';
    values[`socialFormerHandles-${i + 1}`] = a.handleHistory.join(' ');
  });
  return values;
}

type Parsed<T extends z.ZodTypeAny> = { ok: true; data: z.output<T> } | { ok: false; errors: FieldError[] };

function parseForm<T extends z.ZodTypeAny>(schema: T, input: unknown): Parsed<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

/** The GOV.UK error summary list and a message per field, for the templates. */
function errorView(errors: FieldError[]) {
  return {
    errors: errors.map((e) => ({ text: e.message, href: anchorFor(e.field) })),
    errorFor: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
  };
}

function officerOf(req: Request): ActingOfficer & { displayName: string } {
  const o = req.session.officer!;
  return { username: o.username, roles: o.roles, displayName: o.displayName };
}

type Handler = (req: Request, res: Response) => Promise<void>;
const handle =
  (fn: Handler): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

/** Choices the forms offer, shared by the templates. */
const CHOICES = {
  kinds: RESTRICTION_KINDS.map((k) => ({ value: k, text: RESTRICTION_KIND_LABELS[k] })),
  statuses: RESTRICTION_STATUSES,
  weekdays: WEEKDAYS.map((d) => ({ value: d, text: d[0]!.toUpperCase() + d.slice(1) })),
  platforms: PLATFORMS,
  reviewPeriods: REVIEW_PERIODS_IN_MONTHS,
  escalationDeciders: ESCALATION_DECIDERS.map((d) => ({ value: d, text: ESCALATION_DECIDER_LABELS[d] })),
  socialRows: Array.from({ length: SOCIAL_ROWS }, (_, i) => i + 1),
};

const STATUS_LABELS: Record<string, string> = {
  proposed: 'Proposed',
  active: 'Active',
  reviewed: 'Active (reviewed)',
  lifted: 'Lifted',
  expired: 'Expired',
};

export function registerRoutes(deps: RegisterRouteDeps): Router {
  const router = Router();
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const council = deps.council ?? DEMO_COUNCIL;
  const records = new RegisterRecords(store.models, registerChangePublisher(deps.redis, deps.queuePrefix));

  router.use('/register', (_req, res, next) => {
    res.locals.choices = CHOICES;
    res.locals.statusLabels = STATUS_LABELS;
    res.locals.kindLabels = RESTRICTION_KIND_LABELS;
    res.locals.councilDate = (d: Date | string | undefined) => (d ? formatCouncilDate(new Date(d)) : '');
    next();
  });

  const confidentialFor = (req: Request) => can(req.session.officer!.roles, 'register.viewConfidential');

  /** List rows: people with access to confidential details also see the service and who proposed. */
  async function registerRows(req: Request) {
    const filters = parseOrThrow(registerFiltersSchema, req.query);
    const rows = await records.list(filters, officerOf(req), now());
    const confidential = confidentialFor(req);
    return {
      filters,
      items: rows.map(({ restriction, person }) => ({
        personId: person.id,
        name: registerName(person),
        restriction: restrictionSummary(restriction),
        ...(confidential
          ? {
              service: restriction.proposingService,
              proposedBy: restriction.proposedBy,
              scope: restriction.scope,
            }
          : {}),
      })),
    };
  }

  router.get(
    '/register',
    requirePermission('register.view'),
    handle(async (req, res) => {
      const { filters, items } = await registerRows(req);
      const exportQuery = new URLSearchParams(
        Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ).toString();
      res.render('register/list.njk', { filters, items, confidential: confidentialFor(req), exportQuery });
    }),
  );

  router.get(
    '/api/register',
    requirePermission('register.view'),
    handle(async (req, res) => {
      res.json(await registerRows(req));
    }),
  );

  router.get(
    '/register/export.csv',
    requirePermission('register.viewConfidential'),
    handle(async (req, res) => {
      const filters = parseOrThrow(registerFiltersSchema, req.query);
      const at = now();
      const rows = await records.list(filters, officerOf(req), at, 'register.exported');
      const people = new Map(rows.map((r) => [r.person.id, r.person]));
      const csv = stringify([
        [...REVIEW_MEETING_COLUMNS],
        ...reviewMeetingRows(
          rows.map((r) => r.restriction),
          people,
        ),
      ]);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        `attachment; filename="register-review-meeting-${londonDay(at)}.csv"`,
      );
      res.setHeader('cache-control', 'no-store');
      res.send('\ufeff' + csv); // the byte-order mark makes spreadsheet programs read UTF-8
    }),
  );

  router.get(
    '/register/reviews',
    requirePermission('register.view'),
    handle(async (req, res) => {
      const at = now();
      const due = reviewsDue(await records.inForceWithReviewDate(), at);
      const people = await records.peopleById(due.map((d) => d.restriction.personId));
      await records.recordRead(
        officerOf(req),
        'register.reviews_viewed',
        { type: 'register', id: 'reviews' },
        { due: due.length },
        at,
      );
      res.render('register/reviews.njk', {
        items: due.map((d) => ({
          state: d.state,
          daysLeft: d.daysLeft,
          name: registerName(people.get(d.restriction.personId) ?? { names: [] }),
          restriction: restrictionSummary(d.restriction),
          mayReview: mayReviewOrEnd(d.restriction, officerOf(req)),
        })),
      });
    }),
  );

  // ---- Suggested matches awaiting an officer ----

  router.get(
    '/register/matches',
    requirePermission('register.confirmMatch'),
    handle(async (req, res) => {
      const awaiting = await records.awaitingMatches();
      const people = await records.peopleById(awaiting.map((m) => m.personId));
      const items = [];
      for (const m of awaiting) {
        const comments = m.author?.accountId
          ? await withModeration(
              store.models,
              await store.models.comments
                .find(
                  {
                    'author.platform': { $eq: m.author.platform },
                    'author.accountId': { $eq: m.author.accountId },
                  },
                  { text: 1, capturedAt: 1, platform: 1 },
                )
                .sort({ capturedAt: -1 })
                .limit(5)
                .lean(),
            )
          : [];
        items.push({
          id: String(m._id),
          personId: m.personId,
          name: registerName(people.get(m.personId) ?? { names: [] }),
          author: m.author,
          evidence: m.evidence,
          score: m.score,
          lastSeenAt: m.lastSeenAt,
          comments,
        });
      }
      await records.recordRead(
        officerOf(req),
        'register.matches_viewed',
        { type: 'register', id: 'matches' },
        { awaiting: items.length },
        now(),
      );
      res.render('register/matches.njk', {
        items,
        done: typeof req.query.done === 'string' ? req.query.done : undefined,
      });
    }),
  );

  for (const outcome of ['confirmed', 'rejected'] as const) {
    router.post(
      `/register/matches/:matchId/${outcome === 'confirmed' ? 'confirm' : 'reject'}`,
      requirePermission('register.confirmMatch'),
      handle(async (req, res) => {
        const { input } = bodyToInput(req);
        const { note } = parseOrThrow(matchDecisionInputSchema, input);
        await records.decideMatch(String(req.params.matchId), outcome, officerOf(req), now(), note);
        if (isJson(req)) res.json({ status: outcome });
        else res.redirect(303, `/register/matches?done=${outcome}`);
      }),
    );
  }

  // ---- Proposing ----

  router.get('/register/propose', requirePermission('register.propose'), (_req, res) => {
    res.render('register/propose.njk', { values: { scopeLevel: 'council' }, newPerson: true });
  });

  router.post(
    '/register/propose',
    requirePermission('register.propose'),
    handle(async (req, res) => {
      const { input, values } = bodyToInput(req, RESTRICTION_CHECKBOXES);
      const at = now();
      const parsed = parseForm(proposalInputSchema(at), input);
      if (!parsed.ok)
        return answerInvalid(req, res, parsed.errors, 'register/propose.njk', { values, newPerson: true });
      const created = await records.proposeNewPerson(parsed.data, officerOf(req), at);
      if (isJson(req)) res.status(201).json(created);
      else res.redirect(303, `/register/people/${created.personId}`);
    }),
  );

  router.get(
    '/register/people/:personId/propose',
    requirePermission('register.propose'),
    handle(async (req, res) => {
      const person = await records.findPerson(String(req.params.personId));
      await records.recordRead(
        officerOf(req),
        'register.person_viewed',
        { type: 'person', id: person.id },
        { view: 'name', page: 'propose' },
        now(),
      );
      res.render('register/propose.njk', {
        values: { scopeLevel: 'council' },
        newPerson: false,
        person: personSummary(person, []),
      });
    }),
  );

  router.post(
    '/register/people/:personId/propose',
    requirePermission('register.propose'),
    handle(async (req, res) => {
      const person = await records.findPerson(String(req.params.personId));
      const { input, values } = bodyToInput(req, RESTRICTION_CHECKBOXES);
      const at = now();
      const parsed = parseForm(restrictionInputSchema(at), input);
      if (!parsed.ok)
        return answerInvalid(req, res, parsed.errors, 'register/propose.njk', {
          values,
          newPerson: false,
          person: personSummary(person, []),
        });
      const created = await records.proposeForPerson(person.id, parsed.data, officerOf(req), at);
      if (isJson(req)) res.status(201).json({ personId: person.id, ...created });
      else res.redirect(303, `/register/people/${person.id}`);
    }),
  );

  // ---- A person ----

  async function personPage(req: Request) {
    const officer = officerOf(req);
    const confidential = confidentialFor(req);
    const { person, restrictions } = await records.viewPerson(
      String(req.params.personId),
      officer,
      confidential ? 'full' : 'summary',
      now(),
    );
    if (!confidential) return { confidential, summary: personSummary(person, restrictions) };
    const [letters, comments, matches] = await Promise.all([
      records.lettersOf(restrictions.map((r) => r.id)),
      recentlyDecided(store.models, { personId: person.id, limit: 100 }, { text: 1, platform: 1, author: 1, capturedAt: 1, permalink: 1 }),
      store.models.registerMatches
        .find({ personId: { $eq: person.id } })
        .sort({ lastSeenAt: -1 })
        .limit(100)
        .lean(),
    ]);
    return {
      confidential,
      person,
      restrictions: restrictions.map((r) => ({
        ...r,
        kindLabels: r.kinds.map((k) => RESTRICTION_KIND_LABELS[k]),
        arrangements: arrangementsInWords(r.kinds, r.details),
        mayApprove: mayApprove(r, officer),
        ownProposal: r.status === 'proposed' && r.proposedBy === officer.username,
        mayReviewOrEnd: mayReviewOrEnd(r, officer),
        mayConfirmInWriting: mayReviewOrEnd(r, officer),
        letters: letters
          .filter((l) => l.restrictionId === r.id)
          .map((l) => ({ generatedAt: l.generatedAt, generatedBy: l.generatedBy, sha256: l.sha256 })),
      })),
      timeline: timelineOf(person, restrictions, letters, comments, matches),
      comments,
    };
  }

  router.get(
    '/register/people/:personId',
    requirePermission('register.view'),
    handle(async (req, res) => {
      res.render('register/person.njk', await personPage(req));
    }),
  );

  router.get(
    '/api/register/people/:personId',
    requirePermission('register.view'),
    handle(async (req, res) => {
      const page = await personPage(req);
      if (!page.confidential) res.json({ person: page.summary });
      else res.json({ person: page.person, restrictions: page.restrictions, timeline: page.timeline });
    }),
  );

  router.get(
    '/register/people/:personId/edit',
    requirePermission('register.viewConfidential'),
    handle(async (req, res) => {
      const { person } = await records.viewPerson(String(req.params.personId), officerOf(req), 'full', now());
      res.render('register/person-edit.njk', {
        person,
        values: personFormValues(person),
        socialRows: socialRowsFor(person),
      });
    }),
  );

  router.post(
    '/register/people/:personId/edit',
    requirePermission('register.viewConfidential'),
    handle(async (req, res) => {
      const person = await records.findPerson(String(req.params.personId));
      const { input, values } = bodyToInput(req);
      const parsed = parseForm(personInputSchema, input);
      if (!parsed.ok)
        return answerInvalid(req, res, parsed.errors, 'register/person-edit.njk', {
          person,
          values,
          socialRows: socialRowsFor(person),
        });
      await records.updatePerson(person.id, parsed.data, officerOf(req), now());
      if (isJson(req)) res.json({ personId: person.id });
      else res.redirect(303, `/register/people/${person.id}`);
    }),
  );

  // ---- Moves: approve, review, lift ----

  /** The restriction and its person for a form; opening the form (not sending it, which is audited as the move) is an audited view. */
  async function restrictionWithPerson(req: Request, viewed?: string) {
    const restriction = await records.findRestriction(String(req.params.restrictionId));
    const person = await records.findPerson(restriction.personId);
    if (viewed)
      await records.recordRead(
        officerOf(req),
        'register.restriction_viewed',
        { type: 'restriction', id: restriction.id },
        { personId: person.id, page: viewed },
        now(),
      );
    return {
      restriction: {
        ...restriction,
        kindLabels: restriction.kinds.map((k) => RESTRICTION_KIND_LABELS[k]),
        arrangements: arrangementsInWords(restriction.kinds, restriction.details),
      },
      person,
      name: registerName(person),
    };
  }

  for (const name of MOVE_NAMES) {
    const view = `register/${name}.njk`;
    router.get(
      `/register/restrictions/:restrictionId/${name}`,
      requirePermission('register.approve'),
      handle(async (req, res) => {
        const page = await restrictionWithPerson(req, name);
        const officer = officerOf(req);
        res.render(view, {
          ...page,
          values: {},
          ownProposal: page.restriction.proposedBy === officer.username,
          allowed:
            name === 'approve'
              ? mayApprove(page.restriction, officer)
              : mayReviewOrEnd(page.restriction, officer),
        });
      }),
    );

    router.post(
      `/register/restrictions/:restrictionId/${name}`,
      requirePermission('register.approve'),
      handle(async (req, res) => {
        const page = await restrictionWithPerson(req);
        const { input, values } = bodyToInput(req);
        const officer = officerOf(req);
        const invalid = (errors: FieldError[]) =>
          answerInvalid(req, res, errors, view, {
            ...page,
            values,
            ownProposal: page.restriction.proposedBy === officer.username,
            allowed: true,
          });
        const decided = decideMove(name, page.restriction, officer, now(), input);
        if (!decided.ok) return invalid(decided.errors);
        let move: Move;
        try {
          move = decided.move();
        } catch (e) {
          // A rule naming a field (e.g. the review period) goes back to the form; Forbidden and Conflict do not.
          if (e instanceof ValidationFailed && !isJson(req))
            return invalid([{ field: e.field, message: e.message }]);
          throw e;
        }
        await records.applyMove(page.restriction, move, officer);
        if (isJson(req)) res.json({ status: move.to, reviewDue: move.set.reviewDue });
        else res.redirect(303, `/register/people/${page.person.id}#restriction-${page.restriction.id}`);
      }),
    );
  }

  // ---- Written confirmation (policy §14) ----

  router.post(
    '/register/restrictions/:restrictionId/letter',
    requirePermission('register.approve'),
    handle(async (req, res) => {
      const { restriction, person } = await restrictionWithPerson(req);
      const { input } = bodyToInput(req);
      parseOrThrow(z.object({}).strict(), input);
      const at = now();
      const officer = officerOf(req);
      const approver = restriction.approvedBy
        ? await store.models.officers.findOne({ username: { $eq: restriction.approvedBy } }).lean()
        : null;
      const pdf = await restrictionLetterPdf(
        letterInput(
          council,
          person,
          restriction,
          approver?.displayName ?? restriction.approvedBy ?? officer.displayName,
          at,
        ),
      );
      const saved = await records.saveLetter(restriction, pdf, officer, at);
      if (isJson(req)) res.status(201).json(saved);
      else res.redirect(303, `/register/people/${person.id}#restriction-${restriction.id}`);
    }),
  );

  router.get(
    '/register/restrictions/:restrictionId/letter.pdf',
    requirePermission('register.viewConfidential'),
    handle(async (req, res) => {
      const restriction = await records.findRestriction(String(req.params.restrictionId));
      const { pdf } = await records.downloadLetter(restriction, officerOf(req), now());
      res.setHeader('content-type', 'application/pdf');
      res.setHeader(
        'content-disposition',
        `attachment; filename="${restriction.reference}-written-confirmation.pdf"`,
      );
      res.setHeader('cache-control', 'no-store');
      res.send(pdf);
    }),
  );

  // ---- Representations, escalations and incidents ----

  function recordKind(req: Request): RecordKindName {
    const kind = String(req.params.kind);
    if (!Object.hasOwn(RECORD_KINDS, kind))
      throw new HttpError(
        404,
        'Page not found. You can record a representation, an escalation or an incident.',
      );
    return kind as RecordKindName;
  }

  router.get(
    '/register/restrictions/:restrictionId/records/:kind',
    requirePermission('register.viewConfidential'),
    handle(async (req, res) => {
      const kind = recordKind(req);
      res.render('register/record.njk', {
        ...(await restrictionWithPerson(req, `record ${kind}`)),
        kind,
        title: RECORD_KINDS[kind].title,
        values: {},
      });
    }),
  );

  router.post(
    '/register/restrictions/:restrictionId/records/:kind',
    requirePermission('register.viewConfidential'),
    handle(async (req, res) => {
      const kind = recordKind(req);
      const page = await restrictionWithPerson(req);
      const { input, values } = bodyToInput(req);
      const at = now();
      const parsed = parseForm(RECORD_KINDS[kind].schema(at), input);
      if (!parsed.ok)
        return answerInvalid(req, res, parsed.errors, 'register/record.njk', {
          ...page,
          kind,
          title: RECORD_KINDS[kind].title,
          values,
        });
      const officer = officerOf(req);
      const recorded = { ...parsed.data, recordedBy: officer.username, recordedAt: at };
      if (kind === 'representation')
        await records.addRecord(page.restriction, 'representations', recorded as never, officer);
      else if (kind === 'escalation')
        await records.addRecord(page.restriction, 'escalations', recorded as never, officer);
      else await records.addRecord(page.restriction, 'incidents', recorded as never, officer);
      if (isJson(req)) res.status(201).json({ recorded: kind });
      else res.redirect(303, `/register/people/${page.person.id}#restriction-${page.restriction.id}`);
    }),
  );

  return router;
}

const MOVE_NAMES = ['approve', 'review', 'lift'] as const;
type MoveName = (typeof MOVE_NAMES)[number];

/** Validates the form for a move, and returns the rule to apply (it may still refuse). */
function decideMove(
  name: MoveName,
  r: RestrictionRecord,
  officer: ActingOfficer,
  at: Date,
  input: unknown,
): { ok: false; errors: FieldError[] } | { ok: true; move: () => Move } {
  switch (name) {
    case 'approve': {
      const p = parseForm(approvalInputSchema, input);
      return p.ok ? { ok: true, move: () => approve(r, officer, at, p.data) } : p;
    }
    case 'review': {
      const p = parseForm(reviewInputSchema, input);
      return p.ok ? { ok: true, move: () => review(r, officer, at, p.data) } : p;
    }
    case 'lift': {
      const p = parseForm(endInputSchema, input);
      return p.ok ? { ok: true, move: () => end(r, officer, at, p.data) } : p;
    }
  }
}

/** Field errors: JSON gets 400 naming the first field; a form is shown again with every error. */
function answerInvalid(
  req: Request,
  res: Response,
  errors: FieldError[],
  view: string,
  locals: Record<string, unknown>,
): void {
  if (isJson(req)) {
    const first = errors[0]!;
    res.status(400).json({ error: first.message, field: first.field, errors });
    return;
  }
  res.status(400).render(view, { ...locals, ...errorView(errors) });
}

/** The written confirmation from the register's record (policy §14). */
function letterInput(
  council: CouncilIdentity,
  person: PersonRecord,
  r: RestrictionRecord,
  authorisingOfficerName: string,
  at: Date,
): RestrictionLetterInput {
  const contact = r.details.namedContact;
  const councillor = person.wardCouncillors[0];
  return {
    council: { name: council.name, addressLines: council.addressLines },
    recipient: {
      name: registerName(person),
      addressLines: (person.addresses[0] ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    },
    reference: r.reference,
    letterDate: at,
    restriction: {
      kinds: r.kinds,
      scope: r.scope,
      status: r.status,
      approvedAt: r.approvedAt,
      reviewDue: r.reviewDue,
    },
    arrangements: arrangementsInWords(r.kinds, r.details),
    reasons: [
      ...r.reason
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
      ...r.incidents.map((i) => `On ${formatCouncilDate(i.occurredOn)}: ${i.description}`),
    ],
    namedContact:
      contact && (contact.name || contact.team)
        ? {
            name: contact.name ?? contact.team!,
            role: contact.name ? (contact.team ?? 'your named contact') : 'your named team',
            email: contact.email,
            phone: contact.phone,
          }
        : undefined,
    representations: { how: council.representationsHow },
    authorisingOfficer: { name: authorisingOfficerName, title: 'Authorising officer' },
    supportWorker: person.supportWorker
      ? {
          name: person.supportWorker,
          organisation: person.supportWorkerOrganisation,
          arrangement:
            person.supportWorkerArrangement ?? 'We will involve your support worker in our contact with you.',
        }
      : undefined,
    wardCouncillor:
      councillor && r.wardCouncillorArrangements
        ? { name: councillor, ward: 'your ward', arrangement: r.wardCouncillorArrangements }
        : undefined,
  };
}

interface TimelineItem {
  at: Date;
  label: string;
  byline?: string;
  text: string;
  reference?: string;
}

/** Everything that happened, newest first: moves, reviews, records, letters, matched content, decisions. */
function timelineOf(
  person: PersonRecord,
  restrictions: RestrictionRecord[],
  letters: { restrictionId: string; generatedAt: Date; generatedBy: string }[],
  comments: { capturedAt: Date; platform: string; text: string; decision?: { outcome: string } | null }[],
  matches: {
    status: string;
    decidedAt?: Date | null;
    decidedBy?: string | null;
    author?: { handle?: string | null; displayName?: string | null; accountId?: string | null } | null;
    firstSeenAt: Date;
  }[],
): TimelineItem[] {
  const items: TimelineItem[] = [
    { at: person.createdAt, label: 'Added to the register', text: registerName(person) },
  ];
  const MOVE_LABELS: Record<string, string> = {
    proposed: 'Restriction proposed',
    active: 'Restriction approved',
    reviewed: 'Restriction reviewed: kept',
    lifted: 'Restriction lifted',
    expired: 'Restriction expired',
  };
  for (const r of restrictions) {
    for (const h of r.history)
      items.push({
        at: h.at,
        label: MOVE_LABELS[h.to] ?? h.to,
        byline: h.by,
        text: h.reason,
        reference: r.reference,
      });
    for (const v of r.reviews) {
      if (v.nextReviewDue)
        items.push({
          at: v.reviewedAt,
          label: 'Next review date set',
          byline: v.reviewedBy,
          text: formatCouncilDate(v.nextReviewDue),
          reference: r.reference,
        });
    }
    for (const p of r.representations)
      items.push({
        at: p.receivedOn,
        label: 'Representation from the customer',
        byline: p.recordedBy,
        text: p.summary + (p.response ? ` Response: ${p.response}` : ''),
        reference: r.reference,
      });
    for (const e of r.escalations)
      items.push({
        at: e.decidedOn,
        label: `Escalation decided by the ${ESCALATION_DECIDER_LABELS[e.decidedBy]}`,
        byline: e.recordedBy,
        text: e.decision,
        reference: r.reference,
      });
    for (const i of r.incidents)
      items.push({
        at: i.occurredOn,
        label: 'Incident',
        byline: i.recordedBy,
        text: i.description,
        reference: r.reference,
      });
  }
  for (const l of letters) {
    const r = restrictions.find((x) => x.id === l.restrictionId);
    items.push({
      at: l.generatedAt,
      label: 'Written confirmation generated',
      byline: l.generatedBy,
      text: 'The letter confirming the restriction to the customer.',
      reference: r?.reference,
    });
  }
  for (const c of comments) {
    const outcome =
      c.decision?.outcome === 'hide'
        ? 'hidden'
        : c.decision?.outcome === 'officer_review'
          ? 'possible match: put to an officer'
          : 'no action';
    items.push({ at: c.capturedAt, label: `Comment on ${c.platform} (${outcome})`, text: c.text });
  }
  for (const m of matches) {
    const author = m.author?.displayName ?? m.author?.handle ?? m.author?.accountId ?? 'an author';
    if (m.status === 'awaiting')
      items.push({
        at: m.firstSeenAt,
        label: 'Possible match awaiting confirmation',
        text: `${author} may be this person.`,
      });
    else
      items.push({
        at: m.decidedAt ?? m.firstSeenAt,
        label: m.status === 'confirmed' ? 'Match confirmed by an officer' : 'Match rejected by an officer',
        byline: m.decidedBy ?? undefined,
        text: `${author}`,
      });
  }
  return items.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
}
