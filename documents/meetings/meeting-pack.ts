// The meeting pack for the chair and the clerk: the meeting's details, then for each agenda item
// the public speakers in the order they are called and the written submissions to read out in
// full. It never says why a submission is in writing: the register of restrictions is confidential.

import type { Writable } from 'node:stream';
import { ValidationFailed } from '../../core/errors';
import { formatCouncilDate, formatCouncilTime } from '../../core/meetings/london-time';
import { SPEAKING_MODE_LABELS } from '../../core/meetings/speakers';
import { createCouncilPdf, numberPages, pdfToBuffer, streamPdfTo } from '../pdf/council-pdf';
import { bullets, facts, heading, keepTogether, paragraph, rule } from '../pdf/layout';

export interface MeetingPackSpeaker {
  name: string;
  mode: 'in_person' | 'remote';
  /** Standing orders: the minutes this speaker is allowed. */
  minutes: number;
}

export interface MeetingPackWrittenSubmission {
  submitterName: string;
  statement: string;
}

export interface MeetingPackItem {
  /** As printed on the agenda, e.g. "5" or "5(a)". */
  number: string;
  title: string;
  /** In speaking order: pass `speakingOrder(...)` from core/meetings/speakers. */
  speakers: MeetingPackSpeaker[];
  writtenSubmissions: MeetingPackWrittenSubmission[];
  /** Reserves from the waiting list, in order, in case a speaker does not attend. */
  reserves?: string[];
}

export interface MeetingPackInput {
  meeting: {
    title: string;
    committee: string;
    startsAt: Date;
    venue?: string;
    remoteLink?: string;
    chair?: string;
    clerk?: string;
  };
  items: MeetingPackItem[];
  /** When the pack was produced (passed in, not read from the clock). */
  preparedAt: Date;
}

function checkInput(input: MeetingPackInput): void {
  if (!input.meeting.venue && !input.meeting.remoteLink) {
    throw new ValidationFailed(
      'venue',
      'Enter the venue or the remote meeting link before producing the meeting pack',
    );
  }
  for (const item of input.items) {
    for (const s of item.speakers) {
      if (!Number.isFinite(s.minutes) || s.minutes <= 0) {
        throw new ValidationFailed(
          'minutes',
          `Enter the minutes allowed for ${s.name} on item ${item.number}`,
        );
      }
    }
  }
}

function minutes(n: number): string {
  return `${n} ${n === 1 ? 'minute' : 'minutes'}`;
}

function drawMeetingPack(input: MeetingPackInput): PDFKit.PDFDocument {
  checkInput(input);
  const { meeting } = input;
  const doc = createCouncilPdf({
    title: `Meeting pack: ${meeting.title}`,
    subject: `Public speakers and written submissions, ${meeting.committee}`,
    createdAt: input.preparedAt,
  });

  paragraph(doc, 'For the chair and the clerk. Not for publication.', { secondary: true, size: 9 });
  heading(doc, meeting.title, 1);
  const details: [string, string][] = [
    ['Committee', meeting.committee],
    ['Date', formatCouncilDate(meeting.startsAt)],
    ['Time', `${formatCouncilTime(meeting.startsAt)} (UK time)`],
  ];
  if (meeting.venue) details.push(['Venue', meeting.venue]);
  if (meeting.remoteLink) details.push(['Remote meeting link', meeting.remoteLink]);
  if (meeting.chair) details.push(['Chair', meeting.chair]);
  if (meeting.clerk) details.push(['Clerk', meeting.clerk]);
  facts(doc, details);

  const speakerCount = input.items.reduce((n, i) => n + i.speakers.length, 0);
  const writtenCount = input.items.reduce((n, i) => n + i.writtenSubmissions.length, 0);
  paragraph(
    doc,
    `${speakerCount} public ${speakerCount === 1 ? 'speaker' : 'speakers'} and ${writtenCount} written ${writtenCount === 1 ? 'submission' : 'submissions'} across ${input.items.length} agenda ${input.items.length === 1 ? 'item' : 'items'}.`,
  );

  for (const item of input.items) {
    rule(doc);
    heading(doc, `Item ${item.number}: ${item.title}`, 2);

    heading(doc, 'Public speakers', 3);
    if (item.speakers.length === 0) {
      paragraph(doc, 'No public speakers on this item.');
    } else {
      const total = item.speakers.reduce((n, s) => n + s.minutes, 0);
      bullets(
        doc,
        item.speakers.map(
          (s, i) => `${i + 1}. ${s.name} — ${SPEAKING_MODE_LABELS[s.mode]}, ${minutes(s.minutes)}`,
        ),
      );
      paragraph(doc, `Total public speaking time: ${minutes(total)}.`, { secondary: true });
    }
    if (item.reserves && item.reserves.length > 0) {
      paragraph(doc, `Reserves from the waiting list, in order: ${item.reserves.join('; ')}.`, {
        secondary: true,
      });
    }

    heading(doc, 'Written submissions to be read out in full', 3);
    if (item.writtenSubmissions.length === 0) {
      paragraph(doc, 'No written submissions on this item.');
    }
    item.writtenSubmissions.forEach((w, i) => {
      keepTogether(doc, 60);
      paragraph(
        doc,
        `Written submission ${i + 1} of ${item.writtenSubmissions.length}, from ${w.submitterName}:`,
        {
          secondary: true,
        },
      );
      paragraph(doc, w.statement);
    });
  }

  numberPages(doc, meeting.title);
  return doc;
}

/** The meeting pack as PDF bytes. */
export async function meetingPackPdf(input: MeetingPackInput): Promise<Buffer> {
  return pdfToBuffer(drawMeetingPack(input));
}

/** The meeting pack written to a stream (an HTTP response, a file). */
export async function writeMeetingPack(input: MeetingPackInput, destination: Writable): Promise<void> {
  return streamPdfTo(drawMeetingPack(input), destination);
}
