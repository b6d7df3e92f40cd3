// How comment text is laid out in the evidence report: every character kept, and right-to-left
// scripts placed right to left (Unicode bidirectional algorithm) while stored in typed order.

import PDFDocument from 'pdfkit';
import { registerReportFonts, visualRuns, wrapText } from '../../documents/evidence/pdf-text';

const doc = new PDFDocument({ autoFirstPage: false });
registerReportFonts(doc);
afterAll(() => {
  doc.resume();
  doc.end();
});

describe('laying out a comment in the report', () => {
  it.each([
    ['a long comment', 'You lot at the council are liars and I will be waiting outside the town hall every single day.'],
    ['a link longer than the column', 'https://www.facebook.com/ExampleCouncil/posts/1234567890123456?comment_id=9876543210987654'],
    ['markup', '<script>alert(1)</script> <img src=x onerror=alert(2)>'],
    ['Arabic', 'سوف نجدك أيها الكاذب ولن تفلت هذه المرة من العقاب'],
  ])('keeps every character of %s when wrapping it', (_name, text) => {
    const lines = wrapText(doc, text, 120, 'regular', 8.5);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.text).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    for (const l of lines) expect(doc.font('regular').fontSize(8.5).widthOfString(l.text)).toBeLessThanOrEqual(120.5);
  });

  it('keeps the line breaks the author typed', () => {
    expect(wrapText(doc, 'first line\nsecond line', 500, 'regular', 8).map((l) => l.text)).toEqual(['first line', 'second line']);
  });

  it('marks Arabic and Hebrew paragraphs right to left and English left to right', () => {
    expect(wrapText(doc, 'سوف نجدك', 500, 'regular', 8)[0]!.rtl).toBe(true);
    expect(wrapText(doc, 'אנחנו יודעים', 500, 'regular', 8)[0]!.rtl).toBe(true);
    expect(wrapText(doc, 'Mixed: أنت كاذب', 500, 'regular', 8)[0]!.rtl).toBe(false);
  });

  // fontkit reverses each right-to-left word itself, so words are handed over as typed; the
  // words' order on the page is reversed here.
  it.each([
    ['plain English is one run', { text: 'Bins are late', rtl: false }, ['Bins are late']],
    ['Arabic words run right to left', { text: 'سوف نجدك', rtl: true }, ['نجدك', ' ', 'سوف']],
    ['Hebrew words run right to left', { text: 'אנחנו יודעים', rtl: true }, ['יודעים', ' ', 'אנחנו']],
    ['Arabic inside English keeps the English order', { text: 'Mixed: أنت كاذب ok', rtl: false }, ['Mixed:', ' ', 'كاذب', ' ', 'أنت', ' ', 'ok']],
    ['brackets in Arabic are mirrored, so they still enclose', { text: 'رقم (٣) هنا', rtl: true }, ['هنا', ' ', '(', '٣', ')', ' ', 'رقم']],
  ])('%s', (_name, line, runs) => {
    expect(visualRuns(line).map((r) => r.text)).toEqual(runs);
  });
});
