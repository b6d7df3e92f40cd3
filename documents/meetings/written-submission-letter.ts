// The e-mail (plain text and HTML) telling a requester that their speaking request has become a
// written submission: the restriction in plain words, the deadline for their statement, and
// their private link. Every value is HTML-escaped; the link must be an http(s) address.

import { ValidationFailed } from '../../core/errors';
import { formatCouncilDate, formatCouncilDateTime, formatCouncilTime } from '../../core/meetings/london-time';
import type { Restriction } from '../../core/restriction';

export interface WrittenSubmissionLetterInput {
  councilName: string;
  requesterName: string;
  meeting: { title: string; committee: string; startsAt: Date };
  agendaItem: { number: string; title: string };
  /** Where the requester's restriction applies (from the restriction that converted the request). */
  restrictionScope: Restriction['scope'];
  /** The last moment the council will accept the written statement. */
  statementDeadline: Date;
  /** The requester's private link to write or change their statement. */
  privateLink: string;
  /** Where to ask questions. */
  contact: { email?: string; phone?: string };
}

export interface EmailBody {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Only a web address: a `javascript:` or `data:` link in a council e-mail would be an attack. */
function checkedLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new ValidationFailed(
      'privateLink',
      'The private link must be a full web address, starting https://',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ValidationFailed(
      'privateLink',
      'The private link must be a full web address, starting https://',
    );
  }
  return url.href;
}

/** Where speaking is barred, completing "you cannot speak at …". */
function barredFrom(scope: Restriction['scope'], committee: string): string {
  switch (scope.level) {
    case 'council':
      return 'council meetings';
    case 'committee':
      return `meetings of the ${scope.name ?? committee}`;
    case 'meeting':
    case 'service':
      return 'this meeting';
  }
}

export function writtenSubmissionLetter(input: WrittenSubmissionLetterInput): EmailBody {
  const link = checkedLink(input.privateLink);
  const { meeting, agendaItem } = input;
  const when = `${formatCouncilTime(meeting.startsAt)} on ${formatCouncilDate(meeting.startsAt)}`;
  const item = `item ${agendaItem.number}, ${agendaItem.title}`;
  const deadline = formatCouncilDateTime(input.statementDeadline);
  const contactLines = [
    input.contact.email ? `Email: ${input.contact.email}` : undefined,
    input.contact.phone ? `Telephone: ${input.contact.phone}` : undefined,
  ].filter((line): line is string => line !== undefined);
  const meetingName =
    meeting.title === meeting.committee ? meeting.title : `${meeting.title} (${meeting.committee})`;

  const opening: string[] = [
    `Dear ${input.requesterName},`,
    `Thank you for asking to speak at the ${meetingName} at ${when}, on ${item}.`,
    `We have written to you before about the arrangements for your contact with ${input.councilName}. Under those arrangements you cannot speak at ${barredFrom(input.restrictionScope, meeting.committee)}. Instead, we have changed your request into a written submission.`,
    `You can send a written statement. The chair will read it out in full at the meeting, when ${item} is discussed.`,
    `Please send your statement by ${deadline}.`,
  ];
  const questions =
    contactLines.length > 0
      ? [`If you have any questions, contact democratic services:\n${contactLines.join('\n')}`]
      : [];
  const signOff = `Democratic services\n${input.councilName}`;

  const subject = `Your request to speak at the ${meeting.title}: send a written statement`;

  const text = [
    ...opening,
    `Write your statement using your private link (do not share it):\n${link}`,
    ...questions,
    signOff,
  ].join('\n\n');

  const p = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;">',
    ...opening.map(p),
    `<p><a href="${escapeHtml(link)}">Write your statement</a> (this link is private to you: do not share it).</p>`,
    ...questions.map(p),
    p(signOff),
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}
