// The few typographic pieces council documents share (headings, paragraphs, labelled facts,
// bullet lists), so a meeting pack, a letter and an evidence pack look like one council's papers.

import { COUNCIL_FONT } from './council-pdf';

const TEXT_COLOUR = '#0b0c0c';
const SECONDARY_COLOUR = '#505a5f';
const SIZES = { 1: 20, 2: 15, 3: 12 } as const;

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Starts a new page when fewer than `points` remain, so a heading is never orphaned at the foot. */
export function keepTogether(doc: PDFKit.PDFDocument, points: number): void {
  if (doc.y + points > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

export function heading(doc: PDFKit.PDFDocument, text: string, level: 1 | 2 | 3 = 2): void {
  keepTogether(doc, SIZES[level] * 4);
  if (level > 1) doc.moveDown(0.6);
  doc
    .font(COUNCIL_FONT.bold)
    .fontSize(SIZES[level])
    .fillColor(TEXT_COLOUR)
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

export function paragraph(
  doc: PDFKit.PDFDocument,
  text: string,
  options: { secondary?: boolean; size?: number } = {},
): void {
  doc
    .font(COUNCIL_FONT.regular)
    .fontSize(options.size ?? 11)
    .fillColor(options.secondary ? SECONDARY_COLOUR : TEXT_COLOUR)
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 2 });
  doc.moveDown(0.5);
}

/** "Label: value" facts, label in bold on its own line for readability when values are long. */
export function facts(doc: PDFKit.PDFDocument, rows: [label: string, value: string][]): void {
  for (const [label, value] of rows) {
    keepTogether(doc, 40);
    doc
      .font(COUNCIL_FONT.bold)
      .fontSize(11)
      .fillColor(TEXT_COLOUR)
      .text(label, doc.page.margins.left, doc.y, {
        width: contentWidth(doc),
      });
    doc.font(COUNCIL_FONT.regular).text(value, { width: contentWidth(doc), lineGap: 2 });
    doc.moveDown(0.4);
  }
}

export function bullets(doc: PDFKit.PDFDocument, items: string[]): void {
  const indent = 14;
  for (const item of items) {
    const top = doc.y;
    doc.font(COUNCIL_FONT.regular).fontSize(11).fillColor(TEXT_COLOUR).text('•', doc.page.margins.left, top, {
      lineBreak: false,
    });
    doc.text(item, doc.page.margins.left + indent, top, { width: contentWidth(doc) - indent, lineGap: 2 });
    doc.moveDown(0.2);
  }
  doc.x = doc.page.margins.left;
  doc.moveDown(0.3);
}

export function rule(doc: PDFKit.PDFDocument): void {
  doc.moveDown(0.3);
  doc
    .moveTo(doc.page.margins.left, doc.y)
    .lineTo(doc.page.width - doc.page.margins.right, doc.y)
    .lineWidth(0.5)
    .strokeColor('#b1b4b6')
    .stroke();
  doc.moveDown(0.6);
}
