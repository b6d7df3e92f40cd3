// Police referrals: cases opened from flagged comments, the officer's statement of the case, its
// status (draft → sent → acknowledged → closed), "the platform reports it gone" events, signed
// evidence packs streamed straight to the download, and a page that checks an uploaded pack.
// Only evidence officers and administrators see or change a case or take a pack; the auditor
// reads a case's trail and may check a pack, never download one.
//
// Forms (each also answers JSON on the same path, with the CSRF token in x-csrf-token):
//   POST /referrals              commentId (a stored comment's id), caseId (optional: add to this open case)
//   POST /referrals/:id/details  suspectedOffences[], hateCrimeCategories[], officerReasons, policeForce, crimeReference
//   POST /referrals/:id/status   to (sent | acknowledged | closed), crimeReference (needed to acknowledge)
//   POST /referrals/:id/gone     commentId, status (deleted | hidden_by_author | …), detail (what the platform answered)
//   POST /referrals/verify       multipart: pack (the .zip), _csrf sent before the file
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { ConfigError, type Config } from '../../config/config';
import type { Logger } from '../../config/logger';
import { CHARACTERISTIC_LABELS, CHARACTERISTICS, OFFENCE_LABELS, OFFENCES } from '../../core/detect/types';
import { ValidationFailed } from '../../core/errors';
import { publicKeyFingerprint, REFERRAL_STATUSES, sha256Hex, type RestrictionHistoryEntry } from '../../core/evidence';
import { RESTRICTION_KIND_LABELS } from '../../core/restriction';
import { can, type Permission } from '../../core/roles';
import { writeEvidencePack } from '../../documents/evidence/pack';
import { verifyEvidencePack, type PackProblemKind } from '../../documents/evidence/verify';
import { appendAudit } from '../../store/audit';
import type { Store } from '../../store/connection';
import {
  PLATFORM_GONE_LABELS,
  PLATFORM_GONE_STATUSES,
  recordPlatformGone,
  REFERRAL_STATUS_LABELS,
  ReferralCases,
  suggestedFromFlags,
  type CaseOfficer,
  type PackScope,
  type ReferralRecord,
} from '../../store/referrals';
import { requirePermission } from '../auth';
import { HttpError } from '../http-errors';
import { DEMO_COUNCIL } from './register';

/** The largest pack the verification page takes; bigger ones are checked with npm run evidence:verify. */
export const MAX_PACK_UPLOAD_BYTES = 200 * 1024 * 1024;
const VERIFY_PATH = '/referrals/verify';
const OBJECT_ID = /^[a-f0-9]{24}$/;

// ---- The council's evidence signing key ----

const DEV_KEY_FILE = path.resolve(__dirname, '..', '..', '.data', 'evidence-signing-key.pem');

function signingKeyFrom(pem: string | Buffer, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`Configuration error: EVIDENCE_SIGNING_KEY_FILE: ${file} is not a private key in PEM`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`Configuration error: EVIDENCE_SIGNING_KEY_FILE: ${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; evidence packs are signed with Ed25519`);
  return key;
}

/**
 * The private key that signs evidence packs. In production it must be given (a missing or wrong key
 * stops the server at start-up); elsewhere one is made under .data/ on first use, with its public
 * half beside it, and the path is logged so it can be handed to whoever checks packs.
 */
export class EvidenceSigningKey {
  private key?: KeyObject;
  private pending?: Promise<KeyObject>;

  constructor(
    private readonly opts: { file?: string; production: boolean; logger: Logger; devFile?: string },
  ) {
    if (opts.production && !opts.file) {
      throw new ConfigError("Configuration error: EVIDENCE_SIGNING_KEY_FILE: required in production: the path to the council's Ed25519 private key in PEM (it is not set)");
    }
    if (opts.file) {
      let pem: Buffer;
      try {
        pem = readFileSync(opts.file);
      } catch (e) {
        throw new ConfigError(`Configuration error: EVIDENCE_SIGNING_KEY_FILE: cannot read ${opts.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      this.key = signingKeyFrom(pem, opts.file);
    }
  }

  privateKey(): Promise<KeyObject> {
    if (this.key) return Promise.resolve(this.key);
    this.pending ??= this.developmentKey().then((k) => (this.key = k));
    return this.pending;
  }

  async publicKeyPem(): Promise<string> {
    return createPublicKey(await this.privateKey()).export({ type: 'spki', format: 'pem' }).toString();
  }

  private async developmentKey(): Promise<KeyObject> {
    const file = this.opts.devFile ?? DEV_KEY_FILE;
    const publicFile = file.replace(/(\.pem)?$/, '.pub.pem');
    let created = false;
    try {
      await readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await mkdir(path.dirname(file), { recursive: true });
      const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      // Written aside and linked into place: several processes starting at once agree on one key.
      const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(aside, pem, { mode: 0o600 });
      try {
        await link(aside, file);
        created = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        await unlink(aside);
      }
    }
    const key = signingKeyFrom(await readFile(file), file);
    const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
    await writeFile(publicFile, publicPem, { mode: 0o644 });
    this.opts.logger[created ? 'warn' : 'info'](
      { privateKeyFile: file, publicKeyFile: publicFile, fingerprint: publicKeyFingerprint(publicPem) },
      created ? 'made a development evidence signing key: set EVIDENCE_SIGNING_KEY_FILE in production' : 'evidence packs are signed with the development key',
    );
    return key;
  }
}

// ---- Uploading a pack to check ----

const mayCheckPacks = (roles: readonly string[]) => can(roles, 'evidence.export') || can(roles, 'audit.view');

function requireOneOf(...permissions: [Permission, ...Permission[]]): RequestHandler {
  return (req, res, next) => {
    const officer = req.session.officer;
    if (!officer) return requirePermission(permissions[0])(req, res, next);
    if (!permissions.some((p) => can(officer.roles, p))) return next(new HttpError(403, 'You do not have permission to see this page. Ask an administrator if you need access.'));
    next();
  };
}

/**
 * Reads an evidence pack uploaded to the verification page into memory (within the limit), before
 * the CSRF check: a multipart form's token can only be read once the form is parsed. Mounted
 * after sessions and before the body parsers; it parses nothing for anyone not allowed to check packs.
 */
export function evidencePackUpload(opts: { maxBytes?: number } = {}): RequestHandler {
  const maxBytes = opts.maxBytes ?? MAX_PACK_UPLOAD_BYTES;
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${Math.round(maxBytes / 1024)} KB`;
  const tooLarge = () =>
    new HttpError(413, `The file is larger than ${limit}, the largest pack this page can check. Check it with "npm run evidence:verify -- <pack.zip>" instead.`);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6 } }).single('pack');
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== VERIFY_PATH || !req.is('multipart/form-data')) return next();
    const officer = req.session.officer;
    if (!officer || !mayCheckPacks(officer.roles)) {
      res.setHeader('connection', 'close'); // the unread upload is not worth keeping the connection for
      return requireOneOf('evidence.export', 'audit.view')(req, res, next);
    }
    // A declared size over the limit is refused before a byte is read.
    if (Number(req.headers['content-length'] ?? 0) > maxBytes + 64 * 1024) {
      res.setHeader('connection', 'close');
      return next(tooLarge());
    }
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        res.setHeader('connection', 'close');
        if (err.code === 'LIMIT_FILE_SIZE') return next(tooLarge());
        return next(new HttpError(400, `The upload could not be read (${err.message}). Choose one evidence pack (.zip) and try again.`));
      }
      next(new HttpError(400, 'The upload could not be read. Choose one evidence pack (.zip) and try again.'));
    });
  };
}

// ---- Input at the edge ----

const optionalId = z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().regex(OBJECT_ID, 'Choose a case from the list of referrals').optional());
const referInput = z.object({
  commentId: z.string({ required_error: 'Enter the reference of the comment to refer' }).trim().regex(OBJECT_ID, 'Enter the reference of a stored comment: 24 letters and digits'),
  caseId: optionalId,
});
const listOf = <T extends string>(values: readonly [T, ...T[]]) => z.preprocess((v) => (v === undefined ? undefined : v === '' ? [] : [v].flat()), z.array(z.enum(values)).optional());
const detailsInput = z.object({
  suspectedOffences: listOf(OFFENCES),
  hateCrimeCategories: listOf(CHARACTERISTICS),
  officerReasons: z.string().max(20_000, 'Your reasons must be 20,000 characters or fewer').optional(),
  policeForce: z.string().max(200, 'The police force must be 200 characters or fewer').optional(),
  crimeReference: z.string().max(100, 'The crime reference must be 100 characters or fewer').optional(),
});
const statusInput = z.object({
  to: z.enum(REFERRAL_STATUSES, { message: 'Choose what has happened to the referral' }),
  crimeReference: z.string().max(100, 'The crime reference must be 100 characters or fewer').optional(),
});
const goneInput = z.object({
  commentId: z.string({ required_error: 'Choose the exhibit the platform reports gone' }).regex(OBJECT_ID, 'Choose the exhibit the platform reports gone'),
  status: z.enum(PLATFORM_GONE_STATUSES, { message: 'Choose what the platform reports' }),
  detail: z.string({ required_error: 'Say what the platform answered' }).trim().min(1, 'Say what the platform answered, for example "HTTP 404: this comment does not exist"').max(1000, 'What the platform answered must be 1,000 characters or fewer'),
});
const packQuery = z.object({ scope: z.enum(['case', 'person'], { message: 'scope is "case" or "person"' }).default('case') });

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ValidationFailed(String(issue.path[0] ?? 'form'), issue.message);
}

const isJson = (req: Request) => req.is('application/json') === 'application/json';

function bodyOf(req: Request): Record<string, unknown> {
  const body: Record<string, unknown> = { ...(req.body as Record<string, unknown> | undefined) };
  delete body._csrf;
  return body;
}

type Handler = (req: Request, res: Response) => Promise<void>;
const handle =
  (fn: Handler): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

function officerOf(req: Request): CaseOfficer {
  const o = req.session.officer!;
  return { id: o.id, username: o.username, displayName: o.displayName, roles: o.roles };
}

const HISTORY_LABELS: Record<RestrictionHistoryEntry['event'], string> = {
  proposed: 'Proposed',
  approved: 'Approved by an authorising officer',
  confirmed_in_writing: 'Confirmed to the customer in writing',
  reviewed: 'Reviewed and kept',
  representations_received: 'Representations received',
  lifted: 'Lifted',
  expired: 'Expired',
};

const PROBLEM_LABELS: Record<PackProblemKind, string> = {
  pack_unreadable: 'Not a readable pack',
  manifest_missing: 'Manifest missing',
  manifest_unreadable: 'Manifest unreadable',
  manifest_altered: 'Manifest altered',
  key_not_published: "Not signed with the council's key",
  file_changed: 'File changed',
  file_added: 'File added',
  file_missing: 'File missing',
  file_unreadable: 'File damaged',
  audit_trail_unreadable: 'Audit trail unreadable',
  audit_chain_broken: 'Audit trail broken',
};

const CHOICES = {
  offences: OFFENCES.map((o) => ({ value: o, text: OFFENCE_LABELS[o] })),
  hateCrimeCategories: CHARACTERISTICS.map((c) => ({ value: c, text: CHARACTERISTIC_LABELS[c].charAt(0).toUpperCase() + CHARACTERISTIC_LABELS[c].slice(1) })),
  gone: PLATFORM_GONE_STATUSES.map((s) => ({ value: s, text: PLATFORM_GONE_LABELS[s] })),
};

export interface ReferralRouteDeps {
  store: Store;
  config: Pick<Config, 'NODE_ENV' | 'EVIDENCE_SIGNING_KEY_FILE'>;
  logger: Logger;
  /** Given by tests; otherwise built from the configuration. */
  signingKey?: EvidenceSigningKey;
  councilName?: string;
  now?: () => Date;
}

export function referralRoutes(deps: ReferralRouteDeps): Router {
  const router = Router();
  const { store, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const councilName = deps.councilName ?? DEMO_COUNCIL.name;
  const signingKey = deps.signingKey ?? new EvidenceSigningKey({ file: deps.config.EVIDENCE_SIGNING_KEY_FILE, production: deps.config.NODE_ENV === 'production', logger });
  const cases = new ReferralCases(store.models);
  const { audit } = store.models;

  router.use('/referrals', (_req, res, next) => {
    res.locals.statusLabels = REFERRAL_STATUS_LABELS;
    res.locals.historyLabels = HISTORY_LABELS;
    res.locals.kindLabels = RESTRICTION_KIND_LABELS;
    res.locals.offenceLabels = OFFENCE_LABELS;
    res.locals.goneLabels = PLATFORM_GONE_LABELS;
    res.locals.problemLabels = PROBLEM_LABELS;
    res.locals.choices = CHOICES;
    next();
  });

  /** Everything the case page shows. */
  async function casePage(record: ReferralRecord, extra: Record<string, unknown> = {}) {
    const [referral, items, otherComments] = await Promise.all([cases.referralCase(record), cases.itemsWithComments(record), cases.otherComments(record)]);
    const suggested = suggestedFromFlags(record.items.flatMap((i) => i.flags));
    return {
      caseId: String(record._id),
      record,
      referral,
      items,
      itemCommentIds: record.items.map((i) => i.commentId),
      otherComments,
      open: record.status !== 'closed',
      nextStatuses: ReferralCases.nextStatuses(record.status),
      suggested: {
        offences: suggested.offences.filter((o) => !record.suspectedOffences.includes(o)),
        hateCrimeCategories: suggested.hateCrimeCategories.filter((c) => !record.hateCrimeCategories.includes(c)),
      },
      values: {
        suspectedOffences: record.suspectedOffences,
        hateCrimeCategories: record.hateCrimeCategories,
        officerReasons: record.officerReasons,
        policeForce: record.policeForce,
        crimeReference: record.crimeReference ?? '',
      },
      trail: record.trail.slice(-8).reverse(),
      ...extra,
    };
  }

  /** A form that fails validation comes back on the case page with the GOV.UK error summary. */
  async function answerInvalid(req: Request, res: Response, caseId: string, e: unknown, values?: Record<string, unknown>) {
    if (!(e instanceof ValidationFailed) || isJson(req)) throw e;
    const record = await cases.find(caseId);
    const page = await casePage(record);
    res.status(400).render('referrals/case.njk', {
      ...page,
      values: { ...page.values, ...values },
      errors: [{ text: e.message, href: `#${e.field}` }],
      errorFor: { [e.field]: { text: e.message } },
    });
  }

  // ---- Cases ----

  router.get(
    '/referrals',
    requirePermission('evidence.export'),
    handle(async (_req, res) => {
      res.render('referrals/list.njk', { cases: await cases.list() });
    }),
  );

  router.post(
    '/referrals',
    requirePermission('evidence.export'),
    handle(async (req, res) => {
      let input;
      try {
        input = parse(referInput, bodyOf(req));
        const referred = await cases.refer(input.commentId, officerOf(req), now(), { caseId: input.caseId });
        if (isJson(req)) res.status(referred.opened ? 201 : 200).json(referred);
        else res.redirect(303, `/referrals/${referred.caseId}?${new URLSearchParams({ added: referred.exhibit, ...(referred.opened ? { opened: '1' } : {}) }).toString()}`);
      } catch (e) {
        if (!(e instanceof ValidationFailed) || isJson(req)) throw e;
        res.status(400).render('referrals/list.njk', {
          cases: await cases.list(),
          values: bodyOf(req),
          errors: [{ text: e.message, href: '#commentId' }],
          errorFor: { commentId: { text: e.message } },
        });
      }
    }),
  );

  router.get(
    VERIFY_PATH,
    requireOneOf('evidence.export', 'audit.view'),
    handle(async (_req, res) => {
      res.render('referrals/verify.njk', { maxMegabytes: MAX_PACK_UPLOAD_BYTES / 1024 / 1024, fingerprint: publicKeyFingerprint(await signingKey.publicKeyPem()) });
    }),
  );

  router.post(
    VERIFY_PATH,
    requireOneOf('evidence.export', 'audit.view'),
    handle(async (req, res) => {
      const publicKeyPem = await signingKey.publicKeyPem();
      const view = { maxMegabytes: MAX_PACK_UPLOAD_BYTES / 1024 / 1024, fingerprint: publicKeyFingerprint(publicKeyPem) };
      const file = req.file;
      if (!file || file.size === 0) {
        const text = 'Choose the evidence pack (.zip) to check';
        if (isJson(req)) throw new ValidationFailed('pack', text);
        return void res.status(400).render('referrals/verify.njk', { ...view, errors: [{ text, href: '#pack' }], errorFor: { pack: { text } } });
      }
      const result = await verifyEvidencePack(file.buffer, { publicKeyPem });
      const upload = { fileName: file.originalname, size: file.size, sha256: sha256Hex(file.buffer) };
      await appendAudit(audit, {
        actor: req.session.officer!.username,
        action: 'evidence_pack.verified',
        subject: { type: 'referral', id: result.manifest?.caseId ?? 'unknown' },
        details: { ok: result.ok, caseReference: result.manifest?.caseReference ?? null, upload, problems: result.problems.map((p) => ({ kind: p.kind, path: p.path ?? null })) },
      });
      if (isJson(req)) return void res.json({ ...result, upload });
      res.status(200).render('referrals/verify.njk', { ...view, result, upload });
    }),
  );

  // The council's published key: anyone holding a pack may compare the signer with it.
  router.get(
    '/referrals/signing-key.pem',
    handle(async (_req, res) => {
      res.type('application/x-pem-file').setHeader('content-disposition', 'inline; filename="council-evidence-signing-key.pub.pem"');
      res.send(await signingKey.publicKeyPem());
    }),
  );

  router.get(
    '/referrals/:caseId',
    requirePermission('evidence.export'),
    handle(async (req, res) => {
      const record = await cases.find(String(req.params.caseId));
      const page = await casePage(record, {
        added: typeof req.query.added === 'string' ? req.query.added : undefined,
        opened: req.query.opened === '1',
      });
      // Reading the case reads the register (the person and their restriction history).
      await appendAudit(audit, { actor: req.session.officer!.username, action: 'referral.viewed', subject: { type: 'referral', id: page.caseId }, details: { reference: record.reference, personId: record.personId ?? null } });
      if (!isJson(req) && req.accepts(['html', 'json']) === 'json') return void res.json({ referral: page.referral, items: record.items, status: record.status });
      res.render('referrals/case.njk', page);
    }),
  );

  router.post(
    '/referrals/:caseId/details',
    requirePermission('evidence.export'),
    handle(async (req, res) => {
      const caseId = String(req.params.caseId);
      const body = bodyOf(req);
      // A form leaves unticked boxes out: none ticked means none. JSON leaves out what it does not change.
      if (!isJson(req)) for (const f of ['suspectedOffences', 'hateCrimeCategories']) body[f] ??= [];
      try {
        await cases.changeDetails(caseId, parse(detailsInput, body), officerOf(req), now());
      } catch (e) {
        return answerInvalid(req, res, caseId, e, body);
      }
      if (isJson(req)) res.json({ ok: true });
      else res.redirect(303, `/referrals/${caseId}#details`);
    }),
  );

  router.post(
    '/referrals/:caseId/status',
    requirePermission('evidence.export'),
    handle(async (req, res) => {
      const caseId = String(req.params.caseId);
      try {
        const { to, crimeReference } = parse(statusInput, bodyOf(req));
        await cases.move(caseId, to, officerOf(req), now(), crimeReference);
      } catch (e) {
        return answerInvalid(req, res, caseId, e);
      }
      if (isJson(req)) res.json({ status: (await cases.find(caseId)).status });
      else res.redirect(303, `/referrals/${caseId}`);
    }),
  );

  router.post(
    '/referrals/:caseId/gone',
    requirePermission('evidence.export'),
    handle(async (req, res) => {
      const caseId = String(req.params.caseId);
      const record = await cases.find(caseId);
      try {
        const input = parse(goneInput, bodyOf(req));
        if (!record.items.some((i) => i.commentId === input.commentId)) throw new ValidationFailed('commentId', 'Choose one of this case’s exhibits.');
        const at = now();
        await recordPlatformGone(store.models, input.commentId, { checkedAt: at, status: input.status, detail: input.detail }, req.session.officer!.username, at);
      } catch (e) {
        return answerInvalid(req, res, caseId, e);
      }
      if (isJson(req)) res.json({ ok: true });
      else res.redirect(303, `/referrals/${caseId}#exhibits`);
    }),
  );

  router.get(
    '/referrals/:caseId/pack.zip',
    requirePermission('evidence.export'),
    handle(async (req, res) => {
      const caseId = String(req.params.caseId);
      const { scope } = parse(packQuery, req.query);
      const officer = officerOf(req);
      const at = now();
      const key = await signingKey.privateKey();
      // Requested first, so the pack's own trail says who took it, when, and of what.
      await cases.recordEvent(caseId, officer.username, 'evidence_pack.requested', { scope, by: officer.displayName }, at);
      const record = await cases.find(caseId);
      const referral = await cases.referralCase(record);
      const fileName = `${record.reference}-evidence-pack${scope === 'person' ? '-course-of-conduct' : ''}.zip`;
      res.status(200);
      res.setHeader('content-type', 'application/zip');
      res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
      res.setHeader('cache-control', 'no-store');
      try {
        // Streamed into the response as it is written: never held whole in memory.
        const { manifest } = await writeEvidencePack(
          { referral, items: cases.evidenceItems(record, scope as PackScope), auditTrail: record.trail },
          res,
          { signingKey: key, createdBy: { id: officer.id, name: officer.displayName }, now: at, councilName },
        );
        await cases.recordEvent(caseId, officer.username, 'evidence_pack.exported', {
          scope,
          // The SHA-256 of manifest.json as it is in the pack (pack.ts writes it this way).
          manifestSha256: sha256Hex(`${JSON.stringify(manifest, null, 2)}\n`),
          signer: manifest.signer.fingerprint,
          items: manifest.itemCount,
          files: manifest.files.length,
        }, now());
      } catch (e) {
        await cases.recordEvent(caseId, officer.username, 'evidence_pack.failed', { scope, reason: (e as Error).message }, now()).catch((err: Error) => logger.error({ err }, 'could not record a failed evidence pack'));
        if (!res.headersSent) {
          res.removeHeader('content-disposition');
          res.removeHeader('content-type');
          throw e;
        }
        logger.warn({ err: e, caseId }, 'evidence pack download stopped part way');
        res.destroy();
      }
    }),
  );

  router.get(
    '/referrals/:caseId/audit',
    requireOneOf('audit.view', 'evidence.export'),
    handle(async (req, res) => {
      const record = await cases.find(String(req.params.caseId));
      const { chain, inAuditLog } = await cases.checkTrail(record);
      await appendAudit(audit, { actor: req.session.officer!.username, action: 'referral.trail_viewed', subject: { type: 'referral', id: String(record._id) }, details: { reference: record.reference, chainOk: chain.ok } });
      res.render('referrals/trail.njk', {
        caseId: String(record._id),
        record,
        chain,
        entries: record.trail.map((e, i) => ({ ...e, inAuditLog: inAuditLog[i], detailsJson: JSON.stringify(e.details, null, 1) })),
        // The copy into the service log follows the case write by moments: only an older gap is a problem.
        missingFromLog: record.trail.filter((e, i) => !inAuditLog[i] && now().getTime() - new Date(e.at).getTime() > 60_000).length,
      });
    }),
  );

  return router;
}
