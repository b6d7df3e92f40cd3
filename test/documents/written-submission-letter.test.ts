import { ValidationFailed } from '../../core/errors';
import {
  escapeHtml,
  writtenSubmissionLetter,
  type WrittenSubmissionLetterInput,
} from '../../documents/meetings/written-submission-letter';

const input: WrittenSubmissionLetterInput = {
  councilName: 'Example District Council',
  requesterName: 'Robin Grey',
  meeting: {
    title: 'Planning Committee',
    committee: 'Planning Committee',
    startsAt: new Date('2026-06-10T18:00:00Z'),
  },
  agendaItem: { number: '5', title: 'Land at Mill Lane: 40 homes' },
  restrictionScope: { level: 'council' },
  statementDeadline: new Date('2026-06-08T16:00:00Z'),
  privateLink: 'https://council.example.gov.uk/meetings/statement/abc123?t=x&y=1',
  contact: { email: 'democratic.services@example.gov.uk', phone: '01632 960 002' },
};

describe('the e-mail telling a requester their request is now a written submission', () => {
  const email = writtenSubmissionLetter(input);

  test.each([
    ['greets the requester', 'Dear Robin Grey,'],
    [
      'names the meeting, time and item',
      'at the Planning Committee at 7pm on Wednesday 10 June 2026, on item 5, Land at Mill Lane: 40 homes.',
    ],
    [
      'states the restriction in plain words',
      'Under those arrangements you cannot speak at council meetings.',
    ],
    ['says what has happened', 'we have changed your request into a written submission'],
    ['says the statement is read out in full', 'The chair will read it out in full at the meeting'],
    ['gives the deadline in London time', 'Please send your statement by 5pm on Monday 8 June 2026.'],
    ['gives the private link', input.privateLink],
    ['says who to ask', 'Email: democratic.services@example.gov.uk\nTelephone: 01632 960 002'],
  ])('the plain text %s', (_what, expected) => {
    expect(email.text).toContain(expected);
  });

  test('the subject says what to do', () => {
    expect(email.subject).toBe('Your request to speak at the Planning Committee: send a written statement');
  });

  test('the HTML carries the link as an escaped href', () => {
    expect(email.html).toContain(
      '<a href="https://council.example.gov.uk/meetings/statement/abc123?t=x&amp;y=1">Write your statement</a>',
    );
  });

  test.each([
    [
      { level: 'committee' as const, name: 'Planning Committee' },
      'you cannot speak at meetings of the Planning Committee.',
    ],
    [{ level: 'meeting' as const, name: 'mtg-1' }, 'you cannot speak at this meeting.'],
  ])('a restriction scoped to %j is described as such', (restrictionScope, expected) => {
    expect(writtenSubmissionLetter({ ...input, restrictionScope }).text).toContain(expected);
  });

  test('everything a person typed is HTML-escaped', () => {
    const hostile = writtenSubmissionLetter({
      ...input,
      requesterName: '<script>alert("x")</script>',
      agendaItem: { number: '5', title: `Tom's "big" <b>plan</b> & more` },
      councilName: '<img src=x onerror=alert(1)>',
    });
    expect(hostile.html).not.toMatch(/<script|<img|<b>/);
    expect(hostile.html).toContain('Dear &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(hostile.html).toContain('Tom&#39;s &quot;big&quot; &lt;b&gt;plan&lt;/b&gt; &amp; more');
    expect(hostile.text).toContain('Dear <script>alert("x")</script>,');
  });

  test.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'not a link',
    '/relative/path',
  ])('a private link that is not a web address (%s) is refused', (privateLink) => {
    expect(() => writtenSubmissionLetter({ ...input, privateLink })).toThrow(ValidationFailed);
  });

  test('escapeHtml covers the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
