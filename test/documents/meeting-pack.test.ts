import { PassThrough } from 'node:stream';
import { ValidationFailed } from '../../core/errors';
import {
  meetingPackPdf,
  writeMeetingPack,
  type MeetingPackInput,
} from '../../documents/meetings/meeting-pack';
import { pdfText } from './pdf-text';

const statement =
  'I live on Mill Lane. The new homes would double the traffic past the primary school, and the junction with the High Street is already dangerous at 3pm. Please refuse the application or require a crossing.';

const pack: MeetingPackInput = {
  meeting: {
    title: 'Planning Committee',
    committee: 'Planning Committee',
    startsAt: new Date('2026-06-10T18:00:00Z'), // 7pm BST
    venue: 'Council Chamber, Town Hall, High Street',
    remoteLink: 'https://meet.example.gov.uk/planning-june',
    chair: 'Councillor Alex Smith',
    clerk: 'Jo Patel',
  },
  preparedAt: new Date('2026-06-09T09:00:00Z'),
  items: [
    {
      number: '5',
      title: 'Land at Mill Lane: 40 homes',
      speakers: [
        { name: 'Sam Jones', mode: 'in_person', minutes: 3 },
        { name: 'Priya Shah', mode: 'remote', minutes: 3 },
        { name: 'מרים כהן', mode: 'in_person', minutes: 2 },
      ],
      writtenSubmissions: [{ submitterName: 'Chris Taylor', statement }],
      reserves: ['Pat Lee'],
    },
    {
      number: '6',
      title: 'Tree preservation order, Oak Road <script>',
      speakers: [],
      writtenSubmissions: [],
    },
  ],
};

describe('the meeting pack for the chair and the clerk', () => {
  let text: string;
  beforeAll(async () => {
    text = pdfText(await meetingPackPdf(pack));
  });

  test.each([
    ['the meeting and committee', 'Planning Committee'],
    ['the date in UK style', 'Wednesday 10 June 2026'],
    ['the time in UK time (BST in June)', '7pm (UK time)'],
    ['the venue', 'Council Chamber, Town Hall, High Street'],
    ['the remote link', 'https://meet.example.gov.uk/planning-june'],
    ['the chair', 'Councillor Alex Smith'],
    ['each agenda item', 'Item 5: Land at Mill Lane: 40 homes'],
    ['an item title exactly as written', 'Item 6: Tree preservation order, Oak Road <script>'],
    ['the first speaker, mode and minutes', '1. Sam Jones — In person, 3 minutes'],
    ['a remote speaker', '2. Priya Shah — Remotely (online), 3 minutes'],
    ['the total time on the item', 'Total public speaking time: 8 minutes.'],
    ['the reserves', 'Reserves from the waiting list, in order: Pat Lee.'],
    ['who sent a written submission', 'Written submission 1 of 1, from Chris Taylor:'],
    ['the written statement in full, to be read out', statement],
    ['an item with no speakers says so', 'No public speakers on this item.'],
    ['page numbers', 'Page 1 of'],
  ])('shows %s', (_what, expected) => {
    expect(text).toContain(expected);
  });

  test('speakers appear in the order given (the order core/meetings decided)', () => {
    expect(text.indexOf('Sam Jones')).toBeLessThan(text.indexOf('Priya Shah'));
    expect(text.indexOf('Priya Shah')).toBeLessThan(text.indexOf('כהן'));
  });

  test('never says why a submission is in writing: the register is confidential', () => {
    expect(text.toLowerCase()).not.toMatch(/restrict|register|police/);
  });

  test('a pack without a venue or a remote link is refused, naming the field', async () => {
    const noPlace = { ...pack, meeting: { ...pack.meeting, venue: undefined, remoteLink: undefined } };
    const refusal = meetingPackPdf(noPlace);
    await expect(refusal).rejects.toThrow(ValidationFailed);
    await expect(refusal).rejects.toMatchObject({ field: 'venue' });
  });

  test('the pack can be streamed, e.g. to an HTTP response', async () => {
    const destination = new PassThrough();
    const chunks: Buffer[] = [];
    destination.on('data', (c: Buffer) => chunks.push(c));
    await writeMeetingPack(pack, destination);
    expect(pdfText(Buffer.concat(chunks))).toContain('Sam Jones');
  });
});
