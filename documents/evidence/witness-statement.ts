// witness-statement.txt: a draft section 9 statement for the referring officer, prefilled with
// the facts of capture that the system knows (who, when, how, from which system). It is a
// draft: the officer checks every line, adds what only they know, and signs it. Never signed here.

import { ukLocalTime, utcTime, type ReferralCase } from '../../core/evidence';
import { platformName } from './labels';
import type { EvidenceItem } from '../../core/evidence';

export interface CaptureFacts {
  itemCount: number;
  firstCapturedAt?: Date;
  lastCapturedAt?: Date;
  firstWrittenAt?: Date;
  lastWrittenAt?: Date;
  firstExhibit?: string;
  lastExhibit?: string;
  /** "platform — how it was captured" → number of items. */
  captureMethods: Map<string, number>;
  /** "platform account id (@handle)" of every author captured. */
  accounts: Set<string>;
}

export function newCaptureFacts(): CaptureFacts {
  return { itemCount: 0, captureMethods: new Map(), accounts: new Set() };
}

/** Adds one item to the running facts (items may arrive in any order). */
export function noteCapture(facts: CaptureFacts, item: Omit<EvidenceItem, 'rawPayload'>): void {
  facts.itemCount++;
  const earliest = (a: Date | undefined, b: Date): Date => (a && a <= b ? a : b);
  const latest = (a: Date | undefined, b: Date): Date => (a && a >= b ? a : b);
  facts.firstCapturedAt = earliest(facts.firstCapturedAt, item.capturedAt);
  facts.lastCapturedAt = latest(facts.lastCapturedAt, item.capturedAt);
  facts.firstWrittenAt = earliest(facts.firstWrittenAt, item.createdAt);
  facts.lastWrittenAt = latest(facts.lastWrittenAt, item.createdAt);
  const method = `${platformName(item.platform)} — ${item.capturedVia}`;
  facts.captureMethods.set(method, (facts.captureMethods.get(method) ?? 0) + 1);
  facts.accounts.add(`${platformName(item.platform)} account id ${item.accountId}${item.handle ? ` (@${item.handle})` : ''}`);
  const n = Number(item.exhibit.split('/')[1]);
  if (facts.firstExhibit === undefined || n < Number(facts.firstExhibit.split('/')[1])) facts.firstExhibit = item.exhibit;
  if (facts.lastExhibit === undefined || n > Number(facts.lastExhibit.split('/')[1])) facts.lastExhibit = item.exhibit;
}

function both(instant: Date | undefined): string {
  return instant ? `${ukLocalTime(instant)} (${utcTime(instant)})` : '[no items]';
}

export interface WitnessStatementInput {
  referral: ReferralCase;
  facts: CaptureFacts;
  councilName: string;
  generator: string;
  createdBy: { id: string; name: string };
  createdAt: Date;
  signerFingerprint: string;
}

/** Plain text wrapped for printing: lines of at most `width` characters, continuation lines indented. */
function wrap(text: string, width = 96, indent = '   '): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

export function witnessStatement(input: WitnessStatementInput): string {
  const { referral, facts, councilName, generator, createdBy, createdAt, signerFingerprint } = input;
  const officer = referral.referringOfficer;
  const methods = [...facts.captureMethods].map(([method, n]) => `     - ${method}: ${n} item${n === 1 ? '' : 's'}`).join('\n');
  const accounts = [...facts.accounts].sort().map((a) => `     - ${a}`).join('\n');
  const exhibits = facts.firstExhibit === facts.lastExhibit ? `${facts.firstExhibit ?? '[none]'}` : `${facts.firstExhibit} to ${facts.lastExhibit}`;
  const exportedBy = createdBy.id === officer.id ? 'I' : `${createdBy.name}, at my request,`;
  const paragraphs = [
    `1. I am employed by ${councilName} as ${officer.jobTitle}. [OFFICER: how long you have held the post and your duties in relation to the council's social media and public meetings.]`,
    `2. ${councilName} moderates comments made to its social media accounts with its moderation system, "${generator}". The system receives each comment automatically from the platform's own programming interface (API) or notification service at or soon after the time it is made. It stores the data the platform sent exactly as received and, at that moment, records a SHA-256 digital fingerprint of that data. Stored data is not edited; every action taken in the system is written to an audit log in which each entry carries the fingerprint of the entry before it.`,
    `3. The items in this referral were written between ${both(facts.firstWrittenAt)} and ${both(facts.lastWrittenAt)}, and captured by the system between ${both(facts.firstCapturedAt)} and ${both(facts.lastCapturedAt)}. There ${facts.itemCount === 1 ? 'is 1 item' : `are ${facts.itemCount} items`}, captured by these means:`,
  ].map((p) => wrap(p));
  const later = [
    `4. On ${ukLocalTime(createdAt)} (${utcTime(createdAt)}) ${exportedBy} exported these items from the system as an evidence pack for referral ${referral.reference}, concerning ${referral.person.name}. In the pack each item is shown as it appeared and is given, exactly as the platform sent it, as a separate file. I produce the items as exhibits ${exhibits}.`,
    `5. The pack contains a manifest listing every file in it with its SHA-256 fingerprint. The manifest is signed by the council with an Ed25519 digital signature; the signing key's fingerprint is ${signerFingerprint}. Any change to any file after the pack was made can be detected by checking the pack against the manifest and the signature.`,
    `6. [OFFICER: describe how the comments came to your attention, what you saw, whether you viewed them on the platform yourself and when, and why you referred them to the police. Your recorded reasons were: "${referral.officerReasons}"]`,
    '7. [OFFICER: state whether you are willing to attend court, and any dates you are unavailable.]',
  ].map((p) => wrap(p));
  return `DRAFT — FOR THE OFFICER TO CHECK, CORRECT AND SIGN. NOT A SIGNED STATEMENT.
Lines marked [OFFICER: ...] need your own words. Delete anything that is not true.

WITNESS STATEMENT
(Criminal Justice Act 1967, s.9; Magistrates' Courts Act 1980, s.5B; Criminal Procedure Rules, r.16.2)

Crime reference / URN: ${referral.crimeReference ?? '[not yet given by the police]'}
Council referral reference: ${referral.reference}
Police force: ${referral.policeForce}

Statement of: ${officer.name}
Age if under 18: Over 18
Occupation: ${officer.jobTitle}, ${councilName}

This statement (consisting of [ ] page(s) each signed by me) is true to the best of my knowledge
and belief and I make it knowing that, if it is tendered in evidence, I shall be liable to
prosecution if I have wilfully stated in it anything which I know to be false, or do not believe
to be true.

Signature: ................................    Date: ................................

${paragraphs.join('\n\n')}
${methods || '     - [none]'}
   They were written by:
${accounts || '     - [none]'}

${later.join('\n\n')}

Signature: ................................    Date: ................................
`;
}
