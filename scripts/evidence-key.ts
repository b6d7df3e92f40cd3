// Makes the council's evidence signing key: the Ed25519 private key (owner-only; its path is
// EVIDENCE_SIGNING_KEY_FILE) and the public key the council publishes so the police can check packs.
//   npm run evidence:key -- <private-key.pem> [<public-key.pem>]
// Never overwrites a key: given an existing one, it prints its public key and fingerprint instead,
// because packs already sent would no longer match a newly published key.

import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { publicKeyFingerprint } from '../core/evidence';

const USAGE = 'Usage: npm run evidence:key -- <private-key.pem> [<public-key.pem>]';

function main(args: string[]): number {
  const [privatePath, publicArg, ...extra] = args;
  if (!privatePath || extra.length > 0 || privatePath.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const publicPath = publicArg ?? privatePath.replace(/(\.pem)?$/, '.pub.pem');
  let privatePem: string;
  let made = false;
  try {
    privatePem = readFileSync(privatePath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    privatePem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(privatePath, privatePem, { mode: 0o600, flag: 'wx' });
    made = true;
  }
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519') {
    console.error(`${privatePath} holds a ${key.asymmetricKeyType ?? 'unknown'} key; evidence packs are signed with Ed25519.`);
    return 1;
  }
  const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(publicPath, publicPem, { mode: 0o644 });
  console.log(made ? `Made a new signing key: ${privatePath} (readable by its owner only)` : `${privatePath} already exists: it was not changed.`);
  console.log(`Public key to publish: ${publicPath}`);
  console.log(`Fingerprint: ${publicKeyFingerprint(publicPem)}`);
  console.log('Set EVIDENCE_SIGNING_KEY_FILE to the private key path for the server.');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`Could not make the key: ${(e as Error).message}`);
  process.exitCode = 1;
}
