// Reads a PDF back as a person's copy-and-paste would, through poppler's pdftotext and pdffonts
// (Debian package poppler-utils), so tests check the text really is in the document.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PDFTOTEXT = '/usr/bin/pdftotext';
const PDFFONTS = '/usr/bin/pdffonts';

function poppler(tool: string, args: string[], pdf: Buffer): string {
  if (!existsSync(tool)) throw new Error(`${tool} is missing: install the Debian package poppler-utils`);
  return execFileSync(tool, args, { input: pdf, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The document's text, with runs of whitespace (line wrapping, page breaks) made single spaces. */
export function pdfText(pdf: Buffer): string {
  return poppler(PDFTOTEXT, ['-enc', 'UTF-8', '-', '-'], pdf).replace(/\s+/gu, ' ').trim();
}

/** The names of the fonts embedded in the document, as pdffonts lists them. */
export function pdfFontNames(pdf: Buffer): string[] {
  return poppler(PDFFONTS, ['-'], pdf)
    .split('\n')
    .slice(2)
    .map((line) => line.split(/\s+/)[0] ?? '')
    .filter(Boolean);
}
