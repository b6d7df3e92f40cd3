import { generateKeyPairSync } from 'node:crypto';
import { ValidationFailed } from '../errors';
import {
  evidencePackManifest,
  publicKeyFingerprint,
  signManifest,
  signedWithPublishedKey,
  verifyManifestSignature,
} from './manifest';

const council = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

const manifest = evidencePackManifest({
  caseId: 'case-1',
  caseReference: 'PR-2026-0042',
  policeForce: 'West Yorkshire Police',
  createdAt: new Date('2026-03-02T08:30:00Z'),
  createdBy: { id: 'officer-3', name: 'Alex Brown Carter' },
  generator: 'council-moderation',
  itemCount: 1,
  files: [{ path: 'items/ABC-1.json', sha256: 'a'.repeat(64), size: 10 }],
});

describe('the signed evidence pack manifest', () => {
  it('carries the public key and its fingerprint, and verifies with nothing else', () => {
    const signed = signManifest(manifest, council.privateKey);
    expect(signed.signer.fingerprint).toBe(publicKeyFingerprint(council.publicKey));
    expect(signed.signer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(verifyManifestSignature(signed)).toEqual({ valid: true, fingerprint: signed.signer.fingerprint });
  });

  it('survives the JSON round trip of being written to and read from manifest.json', () => {
    const signed = JSON.parse(JSON.stringify(signManifest(manifest, council.privateKey)));
    expect(verifyManifestSignature(signed).valid).toBe(true);
  });

  const alterations: [string, (m: ReturnType<typeof signManifest>) => ReturnType<typeof signManifest>][] = [
    ['a file hash', (m) => ({ ...m, files: [{ ...m.files[0]!, sha256: 'b'.repeat(64) }] })],
    ['the creator', (m) => ({ ...m, createdBy: { id: 'x', name: 'Someone Else' } })],
    [
      'an added file',
      (m) => ({ ...m, files: [...m.files, { path: 'extra.txt', sha256: 'c'.repeat(64), size: 1 }] }),
    ],
  ];
  it.each(alterations)('reports the manifest as altered when %s changes', (_name, alter) => {
    expect(verifyManifestSignature(alter(signManifest(manifest, council.privateKey)))).toMatchObject({
      valid: false,
    });
  });

  it('detects a pack re-signed with another key by comparing with the published key', () => {
    const forged = signManifest(manifest, other.privateKey);
    expect(verifyManifestSignature(forged).valid).toBe(true);
    const published = council.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(signedWithPublishedKey(forged, published)).toBe(false);
    expect(signedWithPublishedKey(signManifest(manifest, council.privateKey), published)).toBe(true);
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signManifest(manifest, rsa.privateKey)).toThrow(ValidationFailed);
  });

  it('refuses a manifest that lists a file twice', () => {
    const file = { path: 'a.txt', sha256: 'a'.repeat(64), size: 1 };
    expect(() => evidencePackManifest({ ...manifest, createdAt: new Date(), files: [file, file] })).toThrow(
      ValidationFailed,
    );
  });
});
