import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCouncilPdf, pdfToBuffer, streamPdfTo, unicodeFontPath } from '../../documents/pdf/council-pdf';
import { paragraph } from '../../documents/pdf/layout';
import { pdfFontNames, pdfText } from './pdf-text';

const createdAt = new Date('2026-06-09T09:00:00Z');

function documentWith(lines: string[]): PDFKit.PDFDocument {
  const doc = createCouncilPdf({ title: 'Test document', createdAt });
  for (const line of lines) paragraph(doc, line);
  return doc;
}

describe('council PDFs draw any text a member of the public wrote as real text', () => {
  test('the Unicode font ships with the dejavu-fonts-ttf package as a TrueType file', () => {
    expect(readFileSync(unicodeFontPath()).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
  });

  test.each([
    ['markup stays as the characters typed', 'Hello <script>alert("hi")</script> & <b>bold</b>'],
    ['Arabic words', 'مرحبا'],
    ['Hebrew words', 'שלום'],
    ['Polish letters', 'Zażółć gęślą jaźń'],
    ['Welsh letters', 'Mae’r ŵyl yn Llandŷfrïog'],
    ['typographic punctuation and currency', '“Quoted” — £5 or €6'],
    ['Greek and Cyrillic', 'Καλημέρα Здравствуйте'],
  ])('%s', async (_case, line) => {
    const text = pdfText(await pdfToBuffer(documentWith([line])));
    expect(text).toContain(line);
  });

  test('a mixed English and Arabic sentence keeps every word extractable', async () => {
    const text = pdfText(await pdfToBuffer(documentWith(['I object: أنا أعترض على هذا الطلب'])));
    for (const word of ['I', 'object:', 'أنا', 'أعترض', 'على', 'هذا', 'الطلب']) expect(text).toContain(word);
  });

  test('only the embedded DejaVu fonts are used, never a Latin-only standard font', async () => {
    const fonts = pdfFontNames(await pdfToBuffer(documentWith(['Hello'])));
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/^[A-Z]{6}\+DejaVuSans/);
  });

  test('the same input on the same date gives the same bytes (evidence packs hash documents)', async () => {
    const first = await pdfToBuffer(documentWith(['Same words']));
    const second = await pdfToBuffer(documentWith(['Same words']));
    expect(first.equals(second)).toBe(true);
  });

  test('a document can be streamed to a file instead of collected in memory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'council-pdf-'));
    try {
      const file = path.join(dir, 'streamed.pdf');
      await streamPdfTo(documentWith(['Streamed to a file']), createWriteStream(file));
      const pdf = readFileSync(file);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfText(pdf)).toContain('Streamed to a file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
