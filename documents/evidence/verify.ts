// Checks an evidence pack as the police, a court or the council's auditor would: recomputes the
// SHA-256 of every file in the ZIP, compares them with the manifest, checks the manifest's
// Ed25519 signature (and, given it, the council's published key), and checks the audit trail's
// hash chain. Says exactly which file was changed, added or removed. Reads the ZIP, never writes.

import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { z } from 'zod';
import {
  EVIDENCE_PACK_FORMAT,
  MANIFEST_FILE,
  SHA256_HEX,
  signedWithPublishedKey,
  verifyAuditChain,
  verifyManifestSignature,
  type ChainCheck as AuditChainCheck,
  type JsonValue,
  type SignedManifest,
} from '../../core/evidence';
import { PACK_FILES } from './pack-files';

export type PackProblemKind =
  | 'pack_unreadable'
  | 'manifest_missing'
  | 'manifest_unreadable'
  | 'manifest_altered'
  | 'key_not_published'
  | 'file_changed'
  | 'file_added'
  | 'file_missing'
  | 'file_unreadable'
  | 'audit_trail_unreadable'
  | 'audit_chain_broken';

export interface PackProblem {
  kind: PackProblemKind;
  /** The file concerned, when there is one. */
  path?: string;
  message: string;
}

export interface PackVerification {
  ok: boolean;
  problems: PackProblem[];
  manifest?: Pick<SignedManifest, 'caseId' | 'caseReference' | 'crimeReference' | 'policeForce' | 'createdAt' | 'createdBy' | 'itemCount'> & { fileCount: number };
  signature: 'valid' | 'invalid' | 'not_checked';
  signerFingerprint?: string;
  publishedKey: 'matches' | 'differs' | 'not_given';
  auditChain?: AuditChainCheck;
  filesChecked: number;
}

export interface VerifyOptions {
  /** The council's published public key (PEM); without it the signer's key is reported, not vouched for. */
  publicKeyPem?: string;
}

// Files we read whole (the manifest, the audit trail) have a ceiling, so a hostile upload cannot exhaust memory.
const MAX_READ_WHOLE = 256 * 1024 * 1024;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(jsonValue)]));

const manifestSchema = z.object({
  format: z.literal(EVIDENCE_PACK_FORMAT),
  caseId: z.string(),
  caseReference: z.string(),
  crimeReference: z.string().optional(),
  policeForce: z.string(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  generator: z.string(),
  itemCount: z.number().int().nonnegative(),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(SHA256_HEX), size: z.number().int().nonnegative() })),
  signer: z.object({ algorithm: z.literal('Ed25519'), fingerprint: z.string(), publicKeyPem: z.string() }),
  signature: z.string(),
});

const auditTrailSchema = z.array(
  z.object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.object({ type: z.string(), id: z.string() }),
    details: z.record(jsonValue),
    prevHash: z.string(),
    hash: z.string(),
  }),
);

interface Hashed {
  sha256: string;
  size: number;
}

export async function verifyEvidencePack(pack: string | Buffer, options: VerifyOptions = {}): Promise<PackVerification> {
  const result: PackVerification = { ok: false, problems: [], signature: 'not_checked', publishedKey: 'not_given', filesChecked: 0 };
  const problem = (kind: PackProblemKind, message: string, path?: string): void => {
    result.problems.push(path === undefined ? { kind, message } : { kind, path, message });
  };

  const hashes = new Map<string, Hashed>();
  const wholeFiles = new Map<string, Buffer>();
  try {
    const zip = await openZip(pack);
    try {
      for await (const entry of entries(zip)) {
        if (entry.fileName.endsWith('/')) continue;
        if (hashes.has(entry.fileName)) {
          problem('file_added', `${entry.fileName} appears twice in the ZIP; a second copy was added.`, entry.fileName);
          continue;
        }
        const keep = entry.fileName === MANIFEST_FILE || entry.fileName === PACK_FILES.auditTrail;
        try {
          const { hashed, content } = await hashEntry(zip, entry, keep);
          hashes.set(entry.fileName, hashed);
          if (content) wholeFiles.set(entry.fileName, content);
        } catch (e) {
          problem('file_unreadable', `${entry.fileName} cannot be read from the ZIP (${(e as Error).message}): it was damaged or altered.`, entry.fileName);
          hashes.set(entry.fileName, { sha256: '', size: -1 });
        }
      }
    } finally {
      zip.close();
    }
  } catch (e) {
    problem('pack_unreadable', `The file is not a readable ZIP evidence pack (${(e as Error).message}).`);
    return result;
  }

  const manifestBytes = wholeFiles.get(MANIFEST_FILE);
  if (!manifestBytes) {
    problem(hashes.has(MANIFEST_FILE) ? 'manifest_unreadable' : 'manifest_missing', hashes.has(MANIFEST_FILE) ? 'manifest.json cannot be read.' : 'The pack has no manifest.json, so nothing in it can be checked.', MANIFEST_FILE);
    return result;
  }
  let manifest: SignedManifest;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(manifestBytes.toString('utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problem('manifest_unreadable', `manifest.json is not a valid evidence pack manifest (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown shape'}).`, MANIFEST_FILE);
      return result;
    }
    manifest = parsed.data as SignedManifest;
  } catch {
    problem('manifest_unreadable', 'manifest.json is not valid JSON: it was altered or damaged.', MANIFEST_FILE);
    return result;
  }
  result.manifest = {
    caseId: manifest.caseId,
    caseReference: manifest.caseReference,
    crimeReference: manifest.crimeReference,
    policeForce: manifest.policeForce,
    createdAt: manifest.createdAt,
    createdBy: manifest.createdBy,
    itemCount: manifest.itemCount,
    fileCount: manifest.files.length,
  };
  result.signerFingerprint = manifest.signer.fingerprint;

  const signature = verifyManifestSignature(manifest);
  result.signature = signature.valid ? 'valid' : 'invalid';
  if (!signature.valid) problem('manifest_altered', `manifest.json: ${signature.reason}`, MANIFEST_FILE);
  if (options.publicKeyPem !== undefined) {
    let matches: boolean | undefined;
    try {
      matches = signedWithPublishedKey(manifest, options.publicKeyPem);
    } catch {
      problem('key_not_published', 'The published public key given cannot be read as a PEM public key, so the signer cannot be confirmed.');
    }
    result.publishedKey = matches ? 'matches' : 'differs';
    if (matches === false) problem('key_not_published', `The pack was signed with key ${manifest.signer.fingerprint}, which is not the council's published key.`, MANIFEST_FILE);
  }

  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const actual = hashes.get(file.path);
    if (!actual) {
      problem('file_missing', `${file.path} is listed in the manifest but missing from the pack.`, file.path);
      continue;
    }
    if (actual.size === -1) continue; // already reported as unreadable
    result.filesChecked++;
    if (actual.sha256 !== file.sha256 || actual.size !== file.size) {
      problem('file_changed', `${file.path} has been changed since the pack was made: its SHA-256 is ${actual.sha256} (${actual.size} bytes), the manifest says ${file.sha256} (${file.size} bytes).`, file.path);
    }
  }
  for (const path of hashes.keys()) {
    if (path !== MANIFEST_FILE && !listed.has(path)) problem('file_added', `${path} is in the pack but not in the manifest: it was added after the pack was made.`, path);
  }

  const auditBytes = wholeFiles.get(PACK_FILES.auditTrail);
  if (auditBytes) {
    try {
      const parsed = auditTrailSchema.safeParse(JSON.parse(auditBytes.toString('utf8')));
      if (!parsed.success) problem('audit_trail_unreadable', 'audit-trail.json is not a list of audit entries.', PACK_FILES.auditTrail);
      else {
        result.auditChain = verifyAuditChain(parsed.data);
        if (!result.auditChain.ok) problem('audit_chain_broken', `audit-trail.json: ${result.auditChain.reason}`, PACK_FILES.auditTrail);
      }
    } catch {
      problem('audit_trail_unreadable', 'audit-trail.json is not valid JSON: it was altered or damaged.', PACK_FILES.auditTrail);
    }
  } else if (!result.problems.some((p) => p.path === PACK_FILES.auditTrail)) {
    problem('file_missing', 'audit-trail.json is missing from the pack.', PACK_FILES.auditTrail);
  }

  result.ok = result.problems.length === 0;
  return result;
}

function openZip(pack: string | Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: ZipFile): void => (err || !zip ? reject(err ?? new Error('no ZIP')) : resolve(zip));
    if (typeof pack === 'string') yauzl.open(pack, { lazyEntries: true, autoClose: false }, done);
    else yauzl.fromBuffer(pack, { lazyEntries: true }, done);
  });
}

async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  while (true) {
    const next = new Promise<Entry | undefined>((resolve, reject) => {
      const onEntry = (entry: Entry): void => {
        cleanup();
        resolve(entry);
      };
      const onEnd = (): void => {
        cleanup();
        resolve(undefined);
      };
      const onError = (e: Error): void => {
        cleanup();
        reject(e);
      };
      const cleanup = (): void => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
    });
    zip.readEntry();
    const entry = await next;
    if (!entry) return;
    yield entry;
  }
}

async function hashEntry(zip: ZipFile, entry: Entry, keep: boolean): Promise<{ hashed: Hashed; content?: Buffer }> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))));
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        if (keep) {
          if (size > MAX_READ_WHOLE) return done(new Error(`${entry.fileName} is too large to be part of an evidence pack`));
          chunks.push(chunk);
        }
        done();
      },
    }),
  );
  return { hashed: { sha256: hash.digest('hex'), size }, content: keep ? Buffer.concat(chunks) : undefined };
}
