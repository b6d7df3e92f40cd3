// Shared pdfkit set-up for every PDF the council sends or files: a Unicode font (DejaVu, from the
// `dejavu-fonts-ttf` package) so any text a member of the public wrote — `<script>`, Arabic,
// Hebrew, Polish — is drawn as real, extractable text, never dropped or mangled by a
// WinAnsi-only standard font; and helpers to finish a document into a Buffer or a stream.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';

/** Font names registered on every council document. */
export const COUNCIL_FONT = { regular: 'CouncilSans', bold: 'CouncilSans-Bold' } as const;

const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
const fontCache = new Map<keyof typeof FONT_FILES, Buffer>();

/** The TrueType file shipped by `dejavu-fonts-ttf` (the package has no "main", so resolve its package.json). */
export function unicodeFontPath(weight: keyof typeof FONT_FILES = 'regular'): string {
  const root = path.dirname(require.resolve('dejavu-fonts-ttf/package.json'));
  return path.join(root, 'ttf', FONT_FILES[weight]);
}

/** Read once per process: every document embeds only the glyphs it uses (pdfkit subsets). */
export function unicodeFont(weight: keyof typeof FONT_FILES = 'regular'): Buffer {
  let font = fontCache.get(weight);
  if (!font) {
    font = readFileSync(unicodeFontPath(weight));
    fontCache.set(weight, font);
  }
  return font;
}

export interface CouncilPdfOptions {
  title: string;
  subject?: string;
  author?: string;
  /** Passed in (never read from the clock) so the same input gives the same document ID. */
  createdAt: Date;
  /** BCP 47 language of the document, for screen readers. */
  lang?: string;
}

/** An A4 document with the council's Unicode fonts registered and selected. */
export function createCouncilPdf(options: CouncilPdfOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    // Chosen at construction so pdfkit never loads a standard (Latin-1 only) font.
    font: unicodeFont('regular') as unknown as string,
    lang: options.lang ?? 'en-GB',
    displayTitle: true,
    bufferPages: true,
    info: {
      Title: options.title,
      // pdfkit hashes every info entry for the document ID and fails on an undefined one.
      ...(options.subject ? { Subject: options.subject } : {}),
      Author: options.author ?? 'The council',
      Producer: 'Council moderation service',
      Creator: 'Council moderation service',
      CreationDate: options.createdAt,
    },
  });
  doc.registerFont(COUNCIL_FONT.regular, unicodeFont('regular'));
  doc.registerFont(COUNCIL_FONT.bold, unicodeFont('bold'));
  doc.font(COUNCIL_FONT.regular);
  return doc;
}

/** Adds "Page N of M" to every page; call once all content is drawn (needs `bufferPages`). */
export function numberPages(doc: PDFKit.PDFDocument, label = ''): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not start a new page
    doc
      .font(COUNCIL_FONT.regular)
      .fontSize(8)
      .fillColor('#505a5f')
      .text(
        `${label ? `${label} · ` : ''}Page ${i - range.start + 1} of ${range.count}`,
        doc.page.margins.left,
        doc.page.height - bottom + 16,
        {
          width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
          align: 'center',
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottom;
  }
}

/** Ends the document and resolves with its bytes. */
export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Ends the document into `destination` (an HTTP response, a file, a ZIP entry) and waits until it is written. */
export async function streamPdfTo(doc: PDFKit.PDFDocument, destination: Writable): Promise<void> {
  const done = pipeline(doc, destination);
  doc.end();
  await done;
}
