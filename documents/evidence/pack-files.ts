// The names of the files inside an evidence pack, shared by the writer and the verifier.

import { MANIFEST_FILE, exhibitFileStem } from '../../core/evidence';

export const PACK_FILES = {
  report: 'report.pdf',
  auditTrail: 'audit-trail.json',
  witnessStatement: 'witness-statement.txt',
  readme: 'README.txt',
  manifest: MANIFEST_FILE,
} as const;

/** Exhibit ABC/1 is items/ABC-1.json (the payload as received) and items/ABC-1.html (as it appeared). */
export function itemFiles(exhibit: string): { raw: string; html: string } {
  const stem = exhibitFileStem(exhibit);
  return { raw: `items/${stem}.json`, html: `items/${stem}.html` };
}
