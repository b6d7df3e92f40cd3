// The evidence pack end to end: written to a file, unzipped, checked file by file, read as a
// police officer would (pdftotext on the report), then tampered with in each way a court would
// worry about, with the verifier naming what changed.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Conflict, ValidationFailed } from '../../core/errors';
import { nextAuditEntry, ukLocalTime, utcTime, type EvidenceItem, type SignedManifest } from '../../core/evidence';
import { writeEvidencePack, type EvidencePackInput } from '../../documents/evidence/pack';
import { verifyEvidencePack, type PackProblemKind } from '../../documents/evidence/verify';
import { ARABIC_COMMENT, HEBREW_COMMENT, SCRIPT_COMMENT, auditTrail, bulkItems, councilSigningKey, createdBy, notableItems, packTime, referral } from './fixtures';
import { readZip, tamperWithPack, writeZip } from './zip-tamper';

const run = promisify(execFile);
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** pdftotext marks right-to-left runs with direction controls; a reader sees only the text. */
const readable = (text: string): string => text.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ');

let dir: string;
let packPath: string;
let files: Map<string, Buffer>;
let manifest: SignedManifest;
const key = councilSigningKey();
const items = notableItems();

async function writePack(path: string, input: Partial<EvidencePackInput> = {}): Promise<SignedManifest> {
  const out = createWriteStream(path);
  const result = await writeEvidencePack(
    { referral, items: notableItems(), auditTrail: auditTrail(), ...input },
    out,
    { signingKey: key.privateKeyPem, createdBy, now: packTime, councilName: 'Example Borough Council', tmpDir: dir },
  );
  return result.manifest;
}

/**
 * The report's text as pdftotext extracts it: `raw` in the order it was written (each table
 * cell whole), `physical` as poppler reads the page geometry (columns can interleave).
 */
async function pdfText(pdf: Buffer, order: 'raw' | 'physical' = 'raw'): Promise<string> {
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(path, pdf);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', ...(order === 'raw' ? ['-raw'] : []), path, '-']);
  return readable(stdout);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-test-'));
  packPath = join(dir, 'pack.zip');
  manifest = await writePack(packPath);
  files = await readZip(packPath);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an evidence pack for a police referral', () => {
  it('lists every file but the manifest itself with its SHA-256 and size', () => {
    const listed = manifest.files.map((f) => f.path).sort();
    expect(listed).toEqual([...files.keys()].filter((name) => name !== 'manifest.json').sort());
    expect(listed).toEqual(
      expect.arrayContaining(['report.pdf', 'audit-trail.json', 'witness-statement.txt', 'README.txt', 'items/ABC-1.json', 'items/ABC-1.html', 'items/ABC-4.json']),
    );
    for (const f of manifest.files) {
      const content = files.get(f.path)!;
      expect({ path: f.path, sha256: sha256(content), size: content.length }).toEqual(f);
    }
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8'))).toEqual(manifest);
    expect(manifest).toMatchObject({ caseId: referral.id, caseReference: 'PR-2026-0042', createdBy, createdAt: packTime.toISOString(), itemCount: 4 });
  });

  it('passes the verifier: hashes, signature, published key and audit chain', async () => {
    const result = await verifyEvidencePack(packPath, { publicKeyPem: key.publicKeyPem });
    expect(result).toMatchObject({ ok: true, problems: [], signature: 'valid', publishedKey: 'matches', auditChain: { ok: true, entries: 3 } });
    expect(result.filesChecked).toBe(manifest.files.length);
  });

  it('verifies a pack uploaded as a buffer the same way', async () => {
    const result = await verifyEvidencePack(await readFile(packPath));
    expect(result).toMatchObject({ ok: true, publishedKey: 'not_given' });
  });

  it('keeps each raw payload byte for byte as captured, matching the hash recorded at capture', () => {
    for (const item of items) {
      const raw = files.get(`items/${item.exhibit.replace('/', '-')}.json`)!;
      expect(raw.equals(Buffer.from(item.rawPayload, 'utf8'))).toBe(true);
      expect(sha256(raw)).toBe(item.rawPayloadSha256);
    }
  });

  it('shows a comment containing markup as text in its HTML page, never as markup', () => {
    const html = files.get('items/ABC-2.html')!.toString('utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; you will regret this');
    expect(html).not.toContain('<script>');
    expect(html).toContain("default-src 'none'");
  });

  it('puts every item in the report as text: exhibit reference, UTC and UK time, account, text, reasons', async () => {
    const text = await pdfText(files.get('report.pdf')!);
    for (const item of items) {
      expect(text).toContain(item.exhibit);
      expect(text).toContain(utcTime(item.createdAt));
      expect(text).toContain(ukLocalTime(item.createdAt));
      expect(text).toContain(`account id ${item.accountId}`);
      expect(text).toContain(readable(item.text));
    }
    expect(text).toContain('<script>alert(1)</script> you will regret this');
    expect(text).toContain(ARABIC_COMMENT);
    expect(text).toContain(HEBREW_COMMENT);
    expect(text).toContain('20/06/2026 22:05:30 BST');
    expect(text).toContain('Platform reports deleted');
    expect(text).toContain('Blocked from the council\'s social media');
    expect(text).toContain('Malicious Communications Act 1988');
  });

  it('keeps markup, Arabic and Hebrew comments whole when pdftotext reads the page layout', async () => {
    const text = await pdfText(files.get('report.pdf')!, 'physical');
    for (const comment of [SCRIPT_COMMENT, ARABIC_COMMENT, HEBREW_COMMENT]) expect(text).toContain(comment);
  });

  it('drafts a witness statement with the facts of capture for the officer to check and sign', () => {
    const statement = files.get('witness-statement.txt')!.toString('utf8');
    expect(statement).toMatch(/^DRAFT — FOR THE OFFICER TO CHECK, CORRECT AND SIGN/);
    expect(statement).toContain('Statement of: Alex Brown Carter');
    expect(statement).toContain('X (Twitter) — X API v2 mentions timeline (polled every minute): 3 items');
    expect(statement).toContain('Facebook — Facebook Graph API page feed webhook: 1 item');
    expect(statement).toContain('exhibits ABC/1 to ABC/4');
    expect(statement).toContain(manifest.signer.fingerprint);
    expect(statement).toContain('02/03/2026 08:30:00 GMT');
  });

  it('carries the case audit trail as written, hash chain included', () => {
    const trail = JSON.parse(files.get('audit-trail.json')!.toString('utf8'));
    expect(trail).toEqual(JSON.parse(JSON.stringify(auditTrail())));
  });
});

describe('a pack that has been tampered with', () => {
  const flipByte = (files: Map<string, Buffer>, name: string, at: number): void => {
    const copy = Buffer.from(files.get(name)!);
    copy[at] = copy[at]! ^ 0x01;
    files.set(name, copy);
  };
  const editManifest = (files: Map<string, Buffer>, from: string, to: string): void => {
    const text = files.get('manifest.json')!.toString('utf8');
    expect(text).toContain(from);
    files.set('manifest.json', Buffer.from(text.replace(from, to), 'utf8'));
  };

  const cases: [string, (files: Map<string, Buffer>) => void, { kind: PackProblemKind; path?: string; message?: string }[]][] = [
    ['one byte of one item payload changed', (f) => flipByte(f, 'items/ABC-2.json', 40), [{ kind: 'file_changed', path: 'items/ABC-2.json' }]],
    ['one byte of the report changed', (f) => flipByte(f, 'report.pdf', 2000), [{ kind: 'file_changed', path: 'report.pdf' }]],
    ['one byte of the witness statement changed', (f) => flipByte(f, 'witness-statement.txt', 10), [{ kind: 'file_changed', path: 'witness-statement.txt' }]],
    ['an item removed', (f) => f.delete('items/ABC-3.json'), [{ kind: 'file_missing', path: 'items/ABC-3.json' }]],
    ['a file added', (f) => f.set('items/ABC-5.json', Buffer.from('{"data":{}}')), [{ kind: 'file_added', path: 'items/ABC-5.json' }]],
    [
      'one line of the manifest changed (who made it)',
      (f) => editManifest(f, '"name": "Alex Brown Carter"', '"name": "Someone Else"'),
      [{ kind: 'manifest_altered', path: 'manifest.json', message: 'signature does not match' }],
    ],
    [
      'a file hash in the manifest changed to cover an edit',
      (f) => {
        const entry = manifest.files.find((x) => x.path === 'items/ABC-1.json')!;
        editManifest(f, entry.sha256, 'f'.repeat(64));
      },
      [
        { kind: 'manifest_altered', path: 'manifest.json' },
        { kind: 'file_changed', path: 'items/ABC-1.json' },
      ],
    ],
    [
      'an audit entry edited',
      (f) => {
        const trail = JSON.parse(f.get('audit-trail.json')!.toString('utf8'));
        trail[1].actor = 'someone-else';
        f.set('audit-trail.json', Buffer.from(JSON.stringify(trail, null, 2), 'utf8'));
      },
      [
        { kind: 'file_changed', path: 'audit-trail.json' },
        { kind: 'audit_chain_broken', path: 'audit-trail.json', message: 'Audit entry 2 was changed after it was written' },
      ],
    ],
  ];

  it.each(cases)('%s: the verifier fails it and names what changed', async (_name, tamper, expected) => {
    const tampered = join(dir, `tampered-${Math.random().toString(36).slice(2)}.zip`);
    await tamperWithPack(packPath, tampered, tamper);
    const result = await verifyEvidencePack(tampered, { publicKeyPem: key.publicKeyPem });
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(expected.length);
    expect(result.problems).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining({ ...e, message: expect.stringContaining(e.message ?? '') }))));
  });

  it('re-signed with a key that is not the council\'s: the signature is valid but the published key differs', async () => {
    const forger = councilSigningKey();
    const forged = join(dir, 'forged.zip');
    const out = createWriteStream(forged);
    await writeEvidencePack({ referral, items: notableItems(), auditTrail: auditTrail() }, out, { signingKey: forger.privateKeyPem, createdBy, now: packTime, tmpDir: dir });
    const result = await verifyEvidencePack(forged, { publicKeyPem: key.publicKeyPem });
    expect(result).toMatchObject({ ok: false, signature: 'valid', publishedKey: 'differs', problems: [expect.objectContaining({ kind: 'key_not_published' })] });
  });

  it('a damaged ZIP or no manifest is reported, not thrown', async () => {
    const junk = join(dir, 'junk.zip');
    await writeFile(junk, 'this is not a zip');
    expect(await verifyEvidencePack(junk)).toMatchObject({ ok: false, problems: [expect.objectContaining({ kind: 'pack_unreadable' })] });
    const noManifest = join(dir, 'no-manifest.zip');
    const contents = await readZip(packPath);
    contents.delete('manifest.json');
    await writeZip(noManifest, contents);
    expect(await verifyEvidencePack(noManifest)).toMatchObject({ ok: false, problems: [expect.objectContaining({ kind: 'manifest_missing' })] });
  });
});

describe('writing a pack refuses evidence that fails its own checks', () => {
  it('a payload that no longer matches the SHA-256 recorded at capture', async () => {
    const [first, ...rest] = notableItems();
    const altered: EvidenceItem = { ...first!, rawPayload: first!.rawPayload.replace('liars', 'lairs') };
    await expect(writePack(join(dir, 'refused-1.zip'), { items: [altered, ...rest] })).rejects.toThrow(ValidationFailed);
  });

  it('an audit trail whose hash chain is broken', async () => {
    const trail = auditTrail();
    trail[1] = { ...trail[1]!, details: { offences: [] } };
    await expect(writePack(join(dir, 'refused-2.zip'), { auditTrail: trail })).rejects.toThrow(Conflict);
  });

  it('the same exhibit reference twice', async () => {
    const [first] = notableItems();
    await expect(writePack(join(dir, 'refused-3.zip'), { items: [first!, first!] })).rejects.toThrow(/appears twice/);
  });
});

describe('a bulk pack of one person across months', () => {
  it('streams items from an async source, draws the weekly timeline and still verifies', async () => {
    const path = join(dir, 'bulk.zip');
    const trail = auditTrail();
    trail.push(nextAuditEntry(trail[trail.length - 1], { at: packTime, actor: 'officer-3', action: 'evidence_pack.bulk', subject: { type: 'referral', id: 'PR-2026-0042' }, details: {} }));
    const result = await writePack(path, { items: bulkItems(150), auditTrail: trail });
    expect(result.itemCount).toBe(150);
    expect(result.files).toHaveLength(150 * 2 + 4);
    const text = await pdfText((await readZip(path)).get('report.pdf')!);
    expect(text).toContain('Messages per week');
    expect(text).toMatch(/150 items over \d+ weeks/);
    expect(text).toContain('ABC/150');
    expect(await verifyEvidencePack(path, { publicKeyPem: key.publicKeyPem })).toMatchObject({ ok: true });
  });
});

describe('npm run evidence:verify', () => {
  const cli = async (...args: string[]): Promise<{ code: number; stdout: string }> => {
    try {
      const { stdout } = await run(process.execPath, [require.resolve('tsx/cli'), 'scripts/evidence-verify.ts', ...args], { cwd: join(__dirname, '../..') });
      return { code: 0, stdout };
    } catch (e) {
      const failed = e as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  };

  it('exits 0 for an intact pack signed with the published key, and 1 naming a changed file', async () => {
    const keyPath = join(dir, 'council-key.pem');
    await writeFile(keyPath, key.publicKeyPem);
    const ok = await cli(packPath, '--public-key', keyPath);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('RESULT: PASS');

    const tampered = join(dir, 'cli-tampered.zip');
    await tamperWithPack(packPath, tampered, (f) => f.set('items/ABC-1.json', Buffer.from('{"data":{"text":"nothing to see"}}')));
    const bad = await cli(tampered, '--public-key', keyPath);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('PROBLEM file_changed [items/ABC-1.json]');
    expect(bad.stdout).toContain('RESULT: FAIL');
  });
});

// The fixture's texts must themselves contain what the report is tested for.
test('the fixtures include markup, Arabic and Hebrew comments', () => {
  expect(items.map((i) => i.text)).toEqual(expect.arrayContaining([SCRIPT_COMMENT, ARABIC_COMMENT, HEBREW_COMMENT]));
});
