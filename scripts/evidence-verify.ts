// Checks an evidence pack from the command line, as the police or an auditor would:
//   npm run evidence:verify -- pack.zip [--public-key council-evidence-key.pem] [--json]
// Exit code 0: every file matches the signed manifest and the audit trail is intact;
// 1: the pack fails a check (the problems are listed); 2: the command was used wrongly.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyEvidencePack, type PackVerification } from '../documents/evidence/verify';

const USAGE = 'Usage: npm run evidence:verify -- <pack.zip> [--public-key <council-key.pem>] [--json]';

function describe(path: string, v: PackVerification): string {
  const lines = [`Evidence pack: ${path}`];
  if (v.manifest) {
    const m = v.manifest;
    lines.push(`Referral ${m.caseReference} (case id ${m.caseId}), ${m.policeForce}, crime reference ${m.crimeReference ?? 'not given'}`);
    lines.push(`Made ${m.createdAt} by ${m.createdBy.name}: ${m.itemCount} items, ${m.fileCount} files listed`);
  }
  const signature = { valid: 'valid', invalid: 'INVALID', not_checked: 'not checked' }[v.signature];
  lines.push(`Signature: ${signature}${v.signerFingerprint ? ` (key ${v.signerFingerprint})` : ''}`);
  const published = {
    matches: "the signing key is the council's published key",
    differs: "the signing key is NOT the council's published key",
    not_given: 'not compared with a published key (give --public-key to confirm who signed it)',
  }[v.publishedKey];
  lines.push(`Published key: ${published}`);
  lines.push(`Files checked against the manifest: ${v.filesChecked}`);
  if (v.auditChain) lines.push(`Audit trail: ${v.auditChain.ok ? `${v.auditChain.entries} entries, chain intact` : v.auditChain.reason}`);
  for (const p of v.problems) lines.push(`  PROBLEM ${p.kind}${p.path ? ` [${p.path}]` : ''}: ${p.message}`);
  if (!v.ok) lines.push('RESULT: FAIL — do not rely on this pack.');
  else if (v.publishedKey === 'matches') lines.push('RESULT: PASS — the pack is as the council made it.');
  else lines.push('RESULT: PASS — every file matches the signed manifest; give --public-key to confirm the council signed it.');
  return lines.join('\n');
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { 'public-key': { type: 'string' }, json: { type: 'boolean' } } });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [pack, ...extra] = parsed.positionals;
  if (!pack || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  let publicKeyPem: string | undefined;
  const keyPath = parsed.values['public-key'];
  if (keyPath !== undefined) {
    try {
      publicKeyPem = readFileSync(keyPath, 'utf8');
    } catch (e) {
      console.error(`Cannot read the public key file ${keyPath}: ${(e as Error).message}`);
      return 2;
    }
  }
  const result = await verifyEvidencePack(pack, { publicKeyPem });
  console.log(parsed.values.json ? JSON.stringify(result, null, 2) : describe(pack, result));
  return result.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`Could not check the pack: ${e.message}`);
    process.exitCode = 2;
  },
);
