// The evidence pack manifest: every file in the pack with its SHA-256 and size, who made the
// pack and when, signed with the council's Ed25519 key. The signature lives inside
// manifest.json, in `signature`, over the canonical JSON of the manifest without that field;
// the signer's public key travels with it (PEM and fingerprint), so anyone can check the pack
// with the pack alone and then compare the fingerprint with the key the council publishes.

import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ValidationFailed } from '../errors';
import { canonicalJson } from './canonical-json';
import { sha256Hex } from './digest';

export const EVIDENCE_PACK_FORMAT = 'council-moderation/evidence-pack/1';
export const MANIFEST_FILE = 'manifest.json';

export interface PackFileRecord {
  path: string;
  sha256: string;
  size: number;
}

export interface EvidencePackManifest {
  format: typeof EVIDENCE_PACK_FORMAT;
  caseId: string;
  caseReference: string;
  crimeReference?: string;
  policeForce: string;
  createdAt: string;
  createdBy: { id: string; name: string };
  /** The software that wrote the pack, for the witness statement's "from which system". */
  generator: string;
  itemCount: number;
  files: PackFileRecord[];
}

export interface PackSigner {
  algorithm: 'Ed25519';
  /** "SHA256:" + hex of the SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
  fingerprint: string;
  publicKeyPem: string;
}

export interface SignedManifest extends EvidencePackManifest {
  signer: PackSigner;
  /** Base64 Ed25519 signature over canonicalJson(manifest without `signature`). */
  signature: string;
}

export function evidencePackManifest(
  fields: Omit<EvidencePackManifest, 'format' | 'createdAt'> & { createdAt: Date },
): EvidencePackManifest {
  const seen = new Set<string>();
  for (const f of fields.files) {
    if (seen.has(f.path)) throw new ValidationFailed('files', `The pack lists ${f.path} twice.`);
    seen.add(f.path);
  }
  return { format: EVIDENCE_PACK_FORMAT, ...fields, createdAt: fields.createdAt.toISOString() };
}

type KeyInput = KeyObject | string;

function asPublicKey(key: KeyInput): KeyObject {
  return typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
}

export function publicKeyFingerprint(key: KeyInput): string {
  const der = asPublicKey(key).export({ type: 'spki', format: 'der' });
  return `SHA256:${sha256Hex(der)}`;
}

/** The signer block for a key, checking it is an Ed25519 private key before any work is done. */
export function evidenceSigner(signingKey: KeyInput): { signer: PackSigner; privateKey: KeyObject } {
  let privateKey: KeyObject;
  try {
    privateKey = typeof signingKey === 'string' ? createPrivateKey(signingKey) : signingKey;
  } catch {
    throw new ValidationFailed(
      'signingKey',
      'The evidence signing key cannot be read: give an Ed25519 private key in PEM.',
    );
  }
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ValidationFailed(
      'signingKey',
      'The evidence signing key must be an Ed25519 private key (PEM or KeyObject).',
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    signer: {
      algorithm: 'Ed25519',
      fingerprint: publicKeyFingerprint(publicKey),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  };
}

export function signManifest(manifest: EvidencePackManifest, signingKey: KeyInput): SignedManifest {
  const { signer, privateKey } = evidenceSigner(signingKey);
  const unsigned = { ...manifest, signer };
  const signature = sign(null, Buffer.from(canonicalJson(unsigned), 'utf8'), privateKey).toString('base64');
  return { ...unsigned, signature };
}

export type ManifestSignatureCheck =
  { valid: true; fingerprint: string } | { valid: false; fingerprint?: string; reason: string };

/** Checks the signature against the key the manifest carries (compare that key with the published one separately). */
export function verifyManifestSignature(signed: SignedManifest): ManifestSignatureCheck {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(signed.signer.publicKeyPem);
  } catch {
    return { valid: false, reason: 'The public key in the manifest cannot be read.' };
  }
  if (publicKey.asymmetricKeyType !== 'ed25519')
    return { valid: false, reason: 'The manifest was not signed with an Ed25519 key.' };
  const fingerprint = publicKeyFingerprint(publicKey);
  if (fingerprint !== signed.signer.fingerprint) {
    return {
      valid: false,
      fingerprint,
      reason: 'The fingerprint in the manifest does not belong to the public key it carries.',
    };
  }
  const { signature, ...unsigned } = signed;
  const ok = verify(
    null,
    Buffer.from(canonicalJson(unsigned), 'utf8'),
    publicKey,
    Buffer.from(signature, 'base64'),
  );
  return ok
    ? { valid: true, fingerprint }
    : {
        valid: false,
        fingerprint,
        reason: 'The signature does not match the manifest: the manifest was altered after signing.',
      };
}

/** True when the pack was signed with the key the council publishes (PEM). */
export function signedWithPublishedKey(
  signed: Pick<SignedManifest, 'signer'>,
  publishedKeyPem: string,
): boolean {
  return publicKeyFingerprint(publishedKeyPem) === signed.signer.fingerprint;
}
