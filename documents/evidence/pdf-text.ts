// Text in the evidence report exactly as people wrote it, in any script: a Unicode font shipped
// by npm (DejaVu Sans, which covers Latin, Greek, Cyrillic, Hebrew and Arabic) so the text stays
// extractable, our own line wrapping, and the Unicode bidirectional algorithm (bidi-js) so
// Arabic and Hebrew read right to left. Text is only ever drawn as text, never interpreted.

import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  mono: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
} as const;
export type FontName = keyof typeof FONT_FILES;

export function registerReportFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, file);
}

/** One wrapped line in logical (typed) order, with its paragraph's direction. */
export interface TextLine {
  text: string;
  rtl: boolean;
  /** The line as measured, with the space after its last word: drawn as is, pdfkit reuses the measured words. */
  measured?: string;
}

const HAS_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u202B\u202E\u2067\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
// Explicit direction marks steer the algorithm but have no glyph of their own.
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
// Control characters other than line breaks have no glyph; tabs read as spaces.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/gu;

// Widths of words at size 1 by font: measuring is most of the layout work, and pdfkit's own
// cache of shaped words is kept short (see report-pdf.ts). Numbers are cheap to keep.
const widthCache = new Map<string, number>();
const WIDTH_CACHE_LIMIT = 50_000;

function measure(doc: PDFKit.PDFDocument, font: FontName, size: number, text: string): number {
  const key = `${font}\u0000${text}`;
  let unit = widthCache.get(key);
  if (unit === undefined) {
    if (widthCache.size >= WIDTH_CACHE_LIMIT) widthCache.clear();
    unit = doc.widthOfString(text) / size;
    widthCache.set(key, unit);
  }
  return unit * size;
}

/** Wraps text to a width in a font and size, keeping every character (long words are broken). */
export function wrapText(doc: PDFKit.PDFDocument, text: string, width: number, font: FontName, size: number): TextLine[] {
  doc.font(font).fontSize(size);
  const widthOf = (t: string): number => measure(doc, font, size, t);
  const spaceWidth = widthOf(' ');
  const charWidths = (t: string): number => {
    let sum = 0;
    for (const ch of t) sum += widthOf(ch);
    return sum;
  };
  const lines: TextLine[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '').split('\n')) {
    const rtl = HAS_RTL.test(paragraph) && (bidi.getEmbeddingLevels(paragraph).paragraphs[0]?.level ?? 0) % 2 === 1;
    let line = '';
    let lineWidth = 0;
    // A word wider than the column (a long link or a run of letters): break it by character.
    const breakWord = (token: string): void => {
      for (const ch of token.trimEnd()) {
        const w = widthOf(ch);
        if (lineWidth + w > width && line !== '') flush();
        line += ch;
        lineWidth += w;
      }
      if (token.endsWith(' ')) {
        line += ' ';
        lineWidth += spaceWidth;
      }
    };
    const flush = (): void => {
      lines.push({ text: line.trimEnd(), rtl, measured: line });
      line = '';
      lineWidth = 0;
    };
    // Words are cut as pdfkit cuts them when drawing (each with its one following space), so a
    // word measured here is already shaped when it is drawn.
    for (const token of paragraph.match(/[^ ]+ ?| /g) ?? []) {
      if (token === ' ' && line === '') continue;
      // Shaping a long link or hash whole only to learn it must be broken is wasted work: the
      // sum of its characters' widths (kept from earlier) says so first.
      if (token.length > 12 && charWidths(token) > width * 1.1) {
        if (line !== '') flush();
        breakWord(token);
        continue;
      }
      const tokenWidth = widthOf(token);
      // A trailing space may hang past the edge of the column.
      const inkWidth = token.endsWith(' ') ? tokenWidth - spaceWidth : tokenWidth;
      if (lineWidth + inkWidth <= width) {
        line += token;
        lineWidth += tokenWidth;
        continue;
      }
      if (token === ' ') {
        flush();
        continue;
      }
      if (line !== '') flush();
      if (inkWidth <= width) {
        line = token;
        lineWidth = tokenWidth;
        continue;
      }
      breakWord(token);
    }
    if (line !== '' || lines.length === 0 || paragraph === '') flush();
  }
  return lines;
}

interface Piece {
  text: string;
  level: number;
  /** Index of the piece's first character in the line as typed. */
  start: number;
}

/** A run of text as it must be handed to pdfkit, with its place in the line as typed. */
export interface Run {
  text: string;
  logicalStart: number;
}

// fontkit (inside pdfkit) reverses a run itself when the first character with a script of its
// own is right-to-left; we must know when it will, to hand it text that ends up the right way.
const FIRST_SCRIPT_CHAR = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

function fontkitReverses(text: string): boolean {
  const first = FIRST_SCRIPT_CHAR.exec(text);
  return first !== null && RTL_SCRIPT.test(first[0]);
}

function reversed(text: string): string {
  return [...text].reverse().join('');
}

/**
 * A line as runs in visual (left-to-right on the page) order, each run's text as it must be
 * handed to pdfkit: fontkit reverses right-to-left words itself, and pdfkit lays out word by word.
 */
export function visualRuns(line: TextLine): Run[] {
  if (!HAS_RTL.test(line.text)) return line.text === '' ? [] : [{ text: line.text, logicalStart: 0 }];
  const text = line.text;
  const { levels } = bidi.getEmbeddingLevels(text, line.rtl ? 'rtl' : 'ltr');
  const mirrored = bidi.getMirroredCharactersMap(text, levels);
  const pieces: Piece[] = [];
  let current: Piece | undefined;
  for (let i = 0; i < text.length; i++) {
    const level = levels[i] ?? 0;
    const ch = mirrored.get(i) ?? text[i]!;
    const space = ch === ' ';
    // Cut at every level change and around every space.
    if (!current || current.level !== level || space || current.text.endsWith(' ')) {
      current = { text: ch, level, start: i };
      pieces.push(current);
    } else current.text += ch;
  }
  // Unicode bidi rule L2: from the highest level down to the lowest odd level, reverse every
  // run of pieces at that level or higher.
  const max = Math.max(...pieces.map((p) => p.level));
  const minOdd = Math.min(...pieces.map((p) => (p.level % 2 === 1 ? p.level : p.level + 1)));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < pieces.length; i++) {
      if (pieces[i]!.level < level) continue;
      let j = i;
      while (j + 1 < pieces.length && pieces[j + 1]!.level >= level) j++;
      const run = pieces.slice(i, j + 1).reverse();
      pieces.splice(i, run.length, ...run);
      i = j;
    }
  }
  const runs: Run[] = [];
  for (const p of pieces) {
    const shown = p.text.replace(BIDI_CONTROLS, '');
    if (shown === '') continue;
    const wantReversed = p.level % 2 === 1;
    runs.push({ text: wantReversed === fontkitReverses(shown) ? shown : reversed(shown), logicalStart: p.start });
  }
  return runs;
}

/**
 * Draws one wrapped line inside a box of `width`; right-to-left paragraphs align right. Runs are
 * placed in visual order but written to the PDF in the order they were typed, so copying or
 * extracting the text (pdftotext) gives it back as written.
 */
export function drawLine(doc: PDFKit.PDFDocument, line: TextLine, x: number, y: number, width: number): void {
  if (!line.rtl && !HAS_RTL.test(line.text)) {
    doc.text(line.measured ?? line.text, x, y, { lineBreak: false });
    return;
  }
  const runs = visualRuns(line);
  const widths = runs.map((r) => doc.widthOfString(r.text));
  let cx = line.rtl ? x + Math.max(0, width - widths.reduce((a, b) => a + b, 0)) : x;
  const placed = runs.map((run, i) => {
    const at = cx;
    cx += widths[i]!;
    return { ...run, x: at };
  });
  for (const run of placed.sort((a, b) => a.logicalStart - b.logicalStart)) doc.text(run.text, run.x, y, { lineBreak: false });
}
