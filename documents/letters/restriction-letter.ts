// The written confirmation of a restriction to the customer (policy §14): how and when they may
// contact the council, why, how to make representations, when it will be reviewed, and who
// authorised it. Built from plain objects; never sent for a restriction that is not approved.

import type { Writable } from 'node:stream';
import { Conflict, ValidationFailed } from '../../core/errors';
import { formatCouncilDate } from '../../core/meetings/london-time';
import { RESTRICTION_KIND_LABELS, type Restriction, type RestrictionKind } from '../../core/restriction';
import { createCouncilPdf, numberPages, pdfToBuffer, streamPdfTo } from '../pdf/council-pdf';
import { bullets, heading, keepTogether, paragraph } from '../pdf/layout';
import { RESTRICTION_KIND_EXPLANATIONS, scopeInPlainWords } from './restriction-wording';

export interface RestrictionLetterInput {
  council: { name: string; addressLines: string[] };
  recipient: { name: string; addressLines: string[] };
  /** The council's reference, quoted in any reply. */
  reference: string;
  letterDate: Date;
  restriction: Pick<Restriction, 'kinds' | 'scope' | 'status' | 'approvedAt' | 'reviewDue'>;
  /** How and when, for the kinds that need details (e.g. phone_days_times: "Tuesdays, 10am to midday, on 01632 960 000"). */
  arrangements: Partial<Record<RestrictionKind, string>>;
  /** The behaviour that led to the restriction, described factually. */
  reasons: string[];
  namedContact?: { name: string; role: string; email?: string; phone?: string; address?: string };
  /** How the customer can tell us why the arrangements should change. */
  representations: { how: string; by?: Date };
  authorisingOfficer: { name: string; title: string };
  supportWorker?: { name: string; organisation?: string; arrangement: string };
  wardCouncillor?: { name: string; ward: string; arrangement: string };
}

function checkInput(input: RestrictionLetterInput): { approvedAt: Date; reviewDue: Date } {
  const { restriction } = input;
  if (restriction.status !== 'active' && restriction.status !== 'reviewed') {
    throw new Conflict(
      'A restriction is confirmed in writing only once it has been approved and is in force',
    );
  }
  if (!restriction.approvedAt)
    throw new ValidationFailed('approvedAt', 'Enter the date the restriction was approved');
  if (!restriction.reviewDue)
    throw new ValidationFailed('reviewDue', 'Enter the date the restriction will be reviewed');
  if (restriction.kinds.length === 0)
    throw new ValidationFailed('kinds', 'Select at least one kind of restriction');
  if (input.reasons.length === 0) {
    throw new ValidationFailed('reasons', 'Describe the behaviour that led to the restriction');
  }
  return { approvedAt: restriction.approvedAt, reviewDue: restriction.reviewDue };
}

function drawRestrictionLetter(input: RestrictionLetterInput): PDFKit.PDFDocument {
  const { approvedAt, reviewDue } = checkInput(input);
  const { council, recipient, restriction } = input;
  const doc = createCouncilPdf({
    title: `Arrangements for your contact with ${council.name}`,
    subject: `Reference ${input.reference}`,
    author: council.name,
    createdAt: input.letterDate,
  });

  paragraph(doc, [council.name, ...council.addressLines].join('\n'), { secondary: true, size: 10 });
  paragraph(doc, 'Private and confidential', { size: 10 });
  paragraph(doc, [recipient.name, ...recipient.addressLines].join('\n'));
  paragraph(doc, `Our reference: ${input.reference}\nDate: ${formatCouncilDate(input.letterDate)}`);

  paragraph(doc, `Dear ${recipient.name},`);
  heading(doc, `Arrangements for your contact with ${council.name}`, 2);
  paragraph(
    doc,
    `We are writing to confirm the arrangements we have made for your contact with us. They started on ${formatCouncilDate(approvedAt)} and apply to ${scopeInPlainWords(restriction.scope)}.`,
  );

  heading(doc, 'Why we have made these arrangements', 3);
  paragraph(doc, 'We have made these arrangements because of the following:');
  bullets(doc, input.reasons);
  paragraph(
    doc,
    'We want to keep helping you, and to keep our staff safe. These arrangements are meant to be in proportion to what has happened.',
  );

  heading(doc, 'How and when you can contact us', 3);
  for (const kind of restriction.kinds) {
    keepTogether(doc, 70);
    paragraph(doc, RESTRICTION_KIND_LABELS[kind], { size: 11, secondary: true });
    paragraph(doc, RESTRICTION_KIND_EXPLANATIONS[kind]);
    const details = input.arrangements[kind];
    if (details) paragraph(doc, details);
  }

  if (input.namedContact) {
    const c = input.namedContact;
    heading(doc, 'Who to contact', 3);
    const lines = [`${c.name}, ${c.role}`];
    if (c.email) lines.push(`Email: ${c.email}`);
    if (c.phone) lines.push(`Telephone: ${c.phone}`);
    if (c.address) lines.push(`Post: ${c.address}`);
    paragraph(doc, lines.join('\n'));
  }

  if (input.supportWorker) {
    const s = input.supportWorker;
    heading(doc, 'Your support worker', 3);
    paragraph(doc, `${s.name}${s.organisation ? `, ${s.organisation}` : ''}. ${s.arrangement}`);
  }

  if (input.wardCouncillor) {
    const w = input.wardCouncillor;
    heading(doc, 'Your ward councillor', 3);
    paragraph(doc, `${w.name}, councillor for ${w.ward}. ${w.arrangement}`);
  }

  heading(doc, 'If you disagree', 3);
  paragraph(
    doc,
    `You can tell us why you think these arrangements are wrong or should change. ${input.representations.how}${input.representations.by ? ` Please do this by ${formatCouncilDate(input.representations.by)}.` : ''} We will record what you say and take it into account.`,
  );

  heading(doc, 'When we will review these arrangements', 3);
  // Policy §15: reviewed at least every six months, lifted when circumstances change.
  paragraph(
    doc,
    `We will review these arrangements by ${formatCouncilDate(reviewDue)}. We review them at least every six months, and we will end them sooner if things change.`,
  );

  paragraph(doc, 'Yours sincerely,');
  paragraph(doc, `${input.authorisingOfficer.name}\n${input.authorisingOfficer.title}\n${council.name}`);

  numberPages(doc, `Reference ${input.reference}`);
  return doc;
}

/** The letter as PDF bytes. */
export async function restrictionLetterPdf(input: RestrictionLetterInput): Promise<Buffer> {
  return pdfToBuffer(drawRestrictionLetter(input));
}

/** The letter written to a stream (an HTTP response, a file). */
export async function writeRestrictionLetter(
  input: RestrictionLetterInput,
  destination: Writable,
): Promise<void> {
  return streamPdfTo(drawRestrictionLetter(input), destination);
}
