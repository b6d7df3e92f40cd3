// Writes the evidence pack for a police referral as a ZIP to any writable stream (a file, an
// HTTP download): report.pdf, each item's raw payload byte for byte and as HTML, the case's
// audit trail, a draft witness statement, a README, and manifest.json listing every file's
// SHA-256 and size, signed with Ed25519 (the signature is inside manifest.json, see
// core/evidence/manifest.ts). Items may be an async iterable of any length: they stream.
// Never touches the database; the caller loads the case and hands over plain objects.

import type { KeyObject } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Conflict, ValidationFailed } from '../../core/errors';
import {
  evidencePackManifest,
  evidenceSigner,
  messagesPerWeek,
  rawPayloadIsIntact,
  signManifest,
  tallyWeek,
  verifyAuditChain,
  type AuditEntry,
  type EvidenceItem,
  type ReferralCase,
  type SignedManifest,
} from '../../core/evidence';
import { itemHtml } from './item-html';
import { PACK_FILES, itemFiles } from './pack-files';
import { ItemSpool } from './item-spool';
import { PackZip } from './pack-zip';
import { newReportDocument, renderEvidenceReport } from './report-pdf';
import { newCaptureFacts, noteCapture, witnessStatement } from './witness-statement';

export { PACK_FILES, itemFiles };

export interface EvidencePackInput {
  referral: ReferralCase;
  /** The exhibits, in any order (the report sorts them by time). */
  items: AsyncIterable<EvidenceItem> | Iterable<EvidenceItem>;
  /** The case's audit entries: a run of consecutive entries of the hash-chained log. */
  auditTrail: readonly AuditEntry[];
}

export interface EvidencePackOptions {
  /** The council's Ed25519 private key (PEM or KeyObject). */
  signingKey: KeyObject | string;
  /** The signed-in officer exporting the pack. */
  createdBy: { id: string; name: string };
  now: Date;
  councilName?: string;
  /** The system named in the witness statement and manifest. */
  generator?: string;
  /** Where the private spool file goes while the pack is written (default: the OS temp folder). */
  tmpDir?: string;
}

export interface EvidencePackResult {
  manifest: SignedManifest;
}

export async function writeEvidencePack(input: EvidencePackInput, output: Writable, options: EvidencePackOptions): Promise<EvidencePackResult> {
  const { referral, auditTrail } = input;
  const { createdBy, now } = options;
  const councilName = options.councilName ?? 'the council';
  const generator = options.generator ?? 'council-moderation (social media and meetings moderation service)';
  const { signer } = evidenceSigner(options.signingKey);
  const chain = verifyAuditChain(auditTrail);
  if (!chain.ok) {
    throw new Conflict(`The audit trail of referral ${referral.reference} fails its integrity check (${chain.reason}) No pack was written; tell the system administrator.`);
  }

  const spool = await ItemSpool.create(options.tmpDir);
  const zip = new PackZip(output, now);
  try {
    const facts = newCaptureFacts();
    const weeks = new Map<string, number>();
    const exhibits = new Set<string>();
    for await (const item of input.items) {
      const files = itemFiles(item.exhibit);
      if (exhibits.has(item.exhibit)) throw new ValidationFailed('items', `Exhibit ${item.exhibit} appears twice in referral ${referral.reference}.`);
      exhibits.add(item.exhibit);
      if (!rawPayloadIsIntact(item)) {
        throw new ValidationFailed(
          'rawPayloadSha256',
          `The stored payload of exhibit ${item.exhibit} (${item.platform} ${item.externalId}) no longer matches the SHA-256 recorded at capture. No pack was written; tell the system administrator.`,
        );
      }
      const { rawPayload, ...shown } = item;
      await zip.addBuffer(files.raw, Buffer.from(rawPayload, 'utf8'));
      await zip.addBuffer(files.html, Buffer.from(itemHtml(shown, referral.reference, files.raw), 'utf8'));
      await spool.add(shown);
      noteCapture(facts, shown);
      tallyWeek(weeks, item.createdAt);
    }

    const reportContext = { referral, councilName, createdAt: now, createdBy, signerFingerprint: signer.fingerprint, facts, weeks: messagesPerWeek(weeks) };
    const doc = newReportDocument(reportContext);
    const rendering = renderEvidenceReport(doc, reportContext, spool.chronological()).catch((e: Error) => {
      doc.destroy(e);
      throw e;
    });
    await Promise.all([zip.addStream(PACK_FILES.report, doc), rendering]);

    // Fields in the order a reader follows the chain; the hash does not depend on it.
    const trail = auditTrail.map(({ seq, at, actor, action, subject, details, prevHash, hash }) => ({ seq, at, actor, action, subject, details, prevHash, hash }));
    await zip.addBuffer(PACK_FILES.auditTrail, Buffer.from(`${JSON.stringify(trail, null, 2)}\n`, 'utf8'));
    const statement = witnessStatement({ referral, facts, councilName, generator, createdBy, createdAt: now, signerFingerprint: signer.fingerprint });
    await zip.addBuffer(PACK_FILES.witnessStatement, Buffer.from(statement, 'utf8'));
    await zip.addBuffer(PACK_FILES.readme, Buffer.from(readme(referral, signer.fingerprint), 'utf8'));

    const manifest = signManifest(
      evidencePackManifest({
        caseId: referral.id,
        caseReference: referral.reference,
        crimeReference: referral.crimeReference,
        policeForce: referral.policeForce,
        createdAt: now,
        createdBy,
        generator,
        itemCount: facts.itemCount,
        files: zip.files,
      }),
      options.signingKey,
    );
    await zip.addBuffer(PACK_FILES.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), false);
    await zip.finish();
    return { manifest };
  } catch (e) {
    zip.abort();
    throw e;
  } finally {
    await spool.dispose();
  }
}

function readme(referral: ReferralCase, fingerprint: string): string {
  return `Evidence pack for police referral ${referral.reference} (${referral.policeForce})

report.pdf             The evidence report: summary, timeline, restriction history, every item.
items/<exhibit>.json   Each item exactly as the platform sent it (exhibit ABC/1 is items/ABC-1.json).
items/<exhibit>.html   Each item shown as it appeared, with the thread around it.
audit-trail.json       The council's audit log entries for this case, hash-chained: each entry's
                       "hash" is the SHA-256 of its canonical JSON (RFC 8785) without "hash",
                       and "prevHash" is the hash of the entry before.
witness-statement.txt  A draft statement for the referring officer to check and sign.
manifest.json          Every other file with its SHA-256 and size, signed with Ed25519. The
                       signature ("signature", base64) is over the canonical JSON (RFC 8785) of
                       manifest.json without "signature". Signing key fingerprint:
                       ${fingerprint}
                       Compare it with the key the council publishes.

To check the pack with the council's software:
  npm run evidence:verify -- <pack.zip> --public-key <council-key.pem>
Without it: compare each file's SHA-256 (e.g. sha256sum) with manifest.json, and check the
Ed25519 signature over the canonical JSON of manifest.json without "signature" with any
Ed25519 tool, using the public key in "signer" once its fingerprint matches the published one.
`;
}
