// report.pdf: the evidence report a police officer reads first — the referral summary, a
// timeline of messages per week for a pack spanning months, the restriction history, and every
// item in time order with its exhibit reference, time in UTC and UK local time, account, text,
// link and why it was flagged. Drawn page by page as items arrive; never holds the whole report.

import PDFDocument from 'pdfkit';
import {
  TIMELINE_MIN_WEEKS,
  exhibitFileStem,
  ukLocalTime,
  utcTime,
  type ReferralCase,
  type WeekCount,
} from '../../core/evidence';
import { RESTRICTION_KIND_LABELS } from '../../core/restriction';
import { hateCrimeLabel, offenceLabel, offenceShortLabel, platformName } from './labels';
import type { ReportItem } from './item-spool';
import { drawLine, registerReportFonts, wrapText, type FontName, type TextLine } from './pdf-text';
import type { CaptureFacts } from './witness-statement';

export interface ReportContext {
  referral: ReferralCase;
  councilName: string;
  createdAt: Date;
  createdBy: { id: string; name: string };
  signerFingerprint: string;
  facts: CaptureFacts;
  weeks: WeekCount[];
}

const MARGIN = 36;
const HEADER = 22;
const FOOTER = 20;
const CELL_PAD = 3;
const GREY = '#505a5f';
const BLACK = '#0b0c0c';
const RULE = '#b1b4b6';
const ALERT = '#d4351c';
const BAR = '#1d70b8';
// pdfkit buffers what it draws until the ZIP reads it; above this we let the ZIP catch up.
const BUFFER_LIMIT = 1 << 20;
// Long enough for common words to be shaped once per stretch, short enough to bound memory.
const LAYOUT_CACHE_PAGES = 4;

interface Span {
  text: string;
  font?: FontName;
  size?: number;
  color?: string;
}

interface StyledLine extends TextLine {
  font: FontName;
  size: number;
  color: string;
  height: number;
}

interface Column {
  header: string;
  width: number;
}

type Cell = Span[];

export function newReportDocument(ctx: ReportContext): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    autoFirstPage: false,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: `Evidence report — referral ${ctx.referral.reference}`,
      Author: ctx.councilName,
      Subject: `Police referral ${ctx.referral.reference} (${ctx.referral.policeForce})`,
      Creator: ctx.createdBy.name,
      CreationDate: ctx.createdAt,
      ModDate: ctx.createdAt,
    },
  });
  registerReportFonts(doc);
  return doc;
}

/** Draws the whole report into `doc` and ends it. Items must come oldest first. */
export async function renderEvidenceReport(doc: PDFKit.PDFDocument, ctx: ReportContext, items: AsyncIterable<ReportItem>): Promise<void> {
  const report = new ReportWriter(doc, ctx);
  report.summary();
  if (ctx.weeks.length >= TIMELINE_MIN_WEEKS) report.timeline();
  report.restrictionHistory();
  await report.items(items);
  doc.end();
}

class ReportWriter {
  private y = 0;
  private pageNumber = 0;
  private readonly contentWidth: number;
  private readonly pageHeight: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly ctx: ReportContext,
  ) {
    this.contentWidth = 841.89 - 2 * MARGIN;
    this.pageHeight = 595.28;
  }

  private get bottom(): number {
    return this.pageHeight - MARGIN - FOOTER;
  }

  private get top(): number {
    return MARGIN + HEADER;
  }

  private newPage(): void {
    const doc = this.doc;
    if (this.pageNumber % LAYOUT_CACHE_PAGES === 0) forgetWordLayouts(doc);
    doc.addPage();
    this.pageNumber++;
    const ref = this.ctx.referral.reference;
    this.style('bold', 8, BLACK);
    doc.text('OFFICIAL-SENSITIVE', MARGIN, MARGIN, { lineBreak: false });
    this.style('regular', 8, GREY);
    const right = `${this.ctx.councilName} · Referral ${ref} · Evidence report`;
    doc.text(right, MARGIN + this.contentWidth - doc.widthOfString(right), MARGIN, { lineBreak: false });
    const footer = `Referral ${ref} · crime reference ${this.ctx.referral.crimeReference ?? 'not yet given'} · page ${this.pageNumber}`;
    doc.text(footer, MARGIN, this.pageHeight - MARGIN - 8, { lineBreak: false });
    const marking = 'OFFICIAL-SENSITIVE';
    this.style('bold', 8, BLACK);
    doc.text(marking, MARGIN + this.contentWidth - doc.widthOfString(marking), this.pageHeight - MARGIN - 8, { lineBreak: false });
    this.y = this.top;
  }

  private style(font: FontName, size: number, color: string): void {
    this.doc.font(font).fontSize(size).fillColor(color);
  }

  private ensureRoom(height: number): void {
    if (this.pageNumber === 0 || this.y + height > this.bottom) this.newPage();
  }

  /** A section heading, kept on the same page as the start of what it heads. */
  private heading(text: string): void {
    this.ensureRoom(150);
    this.doc.outline.addItem(text);
    this.style('bold', 13, BLACK);
    this.doc.text(text, MARGIN, this.y, { lineBreak: false });
    this.y += 20;
  }

  private layout(cell: Cell, width: number): StyledLine[] {
    const lines: StyledLine[] = [];
    for (const span of cell) {
      const font = span.font ?? 'regular';
      const size = span.size ?? 8;
      for (const l of wrapText(this.doc, span.text, width, font, size)) lines.push({ ...l, font, size, color: span.color ?? BLACK, height: size * 1.3 });
    }
    return lines;
  }

  private drawLines(lines: StyledLine[], x: number, y: number, width: number): void {
    let cy = y;
    for (const line of lines) {
      this.style(line.font, line.size, line.color);
      drawLine(this.doc, line, x, cy, width);
      cy += line.height;
    }
  }

  /** A wrapped paragraph across the full width, continuing onto new pages as needed. */
  private paragraph(cell: Cell, x = MARGIN, width = this.contentWidth): void {
    for (const line of this.layout(cell, width)) {
      this.ensureRoom(line.height);
      this.drawLines([line], x, this.y, width);
      this.y += line.height;
    }
  }

  summary(): void {
    const { referral, facts, createdAt, createdBy, councilName, signerFingerprint } = this.ctx;
    this.newPage();
    this.doc.outline.addItem('Summary');
    this.style('bold', 18, BLACK);
    this.doc.text('Evidence report: referral to the police', MARGIN, this.y, { lineBreak: false });
    this.y += 26;
    this.paragraph([{ text: `${councilName} · referral ${referral.reference} (case id ${referral.id}) · status: ${referral.status}`, size: 10, color: GREY }]);
    this.y += 8;
    const person = referral.person;
    const rows: [string, string][] = [
      ['Person', person.otherNames.length ? `${person.name} (also known as ${person.otherNames.join(', ')})` : person.name],
      ['Accounts', person.accounts.map((a) => `${platformName(a.platform)} account id ${a.accountId}${a.handle ? ` (@${a.handle})` : ''}`).join('\n') || 'None recorded'],
      ['Suspected offences', referral.suspectedOffences.map(offenceLabel).join('\n') || 'None recorded'],
      ['Hate crime', referral.hateCrimeCategories.map(hateCrimeLabel).join(', ') || 'Not recorded as hate crime'],
      ["Officer's reasons", referral.officerReasons],
      ['Referring officer', `${referral.referringOfficer.name}, ${referral.referringOfficer.jobTitle}`],
      ['Police force', referral.policeForce],
      ['Crime reference', referral.crimeReference ?? 'Not yet given'],
      [
        'Items',
        facts.itemCount === 0
          ? 'None'
          : `${facts.itemCount} item${facts.itemCount === 1 ? '' : 's'}, exhibits ${facts.firstExhibit} to ${facts.lastExhibit}, written between ${ukLocalTime(facts.firstWrittenAt!)} and ${ukLocalTime(facts.lastWrittenAt!)}`,
      ],
      ['Pack created', `${ukLocalTime(createdAt)} (${utcTime(createdAt)}) by ${createdBy.name}`],
      [
        'Integrity',
        `Every file in this pack is listed in manifest.json with its SHA-256 and size. The manifest is signed with Ed25519; the signing key's fingerprint is ${signerFingerprint}. Each item's file items/<exhibit>.json is the platform's data exactly as received.`,
      ],
    ];
    const labelWidth = 130;
    for (const [label, value] of rows) {
      const lines = this.layout([{ text: value, size: 9.5 }], this.contentWidth - labelWidth);
      const height = lines.reduce((h, l) => h + l.height, 0) + 4;
      this.ensureRoom(Math.min(height, 60));
      this.style('bold', 9.5, BLACK);
      this.doc.text(label, MARGIN, this.y, { lineBreak: false });
      for (const line of lines) {
        this.ensureRoom(line.height);
        this.drawLines([line], MARGIN + labelWidth, this.y, this.contentWidth - labelWidth);
        this.y += line.height;
      }
      this.y += 4;
    }
    this.y += 10;
  }

  timeline(): void {
    const weeks = this.ctx.weeks;
    const chartHeight = 170;
    this.ensureRoom(chartHeight + 70);
    this.heading('Messages per week');
    this.paragraph([{ text: 'Weeks start on Monday, UK local time. Each bar is the number of items in this pack written that week.', size: 8.5, color: GREY }]);
    this.y += 6;
    const doc = this.doc;
    const max = Math.max(1, ...weeks.map((w) => w.count));
    const axisX = MARGIN + 30;
    const plotWidth = this.contentWidth - 40;
    const top = this.y;
    const base = top + chartHeight;
    const slot = plotWidth / weeks.length;
    const barWidth = Math.max(0.5, slot * 0.8);
    // Gridlines and counts on the left: 0, half and the highest week.
    this.style('regular', 7, GREY);
    for (const value of [...new Set([0, Math.round(max / 2), max])]) {
      const gy = base - (value / max) * chartHeight;
      doc.moveTo(axisX, gy).lineTo(axisX + plotWidth, gy).lineWidth(0.3).strokeColor(RULE).stroke();
      doc.text(String(value), MARGIN, gy - 3.5, { lineBreak: false });
    }
    weeks.forEach((w, i) => {
      if (w.count === 0) return;
      const h = (w.count / max) * chartHeight;
      doc.rect(axisX + i * slot + (slot - barWidth) / 2, base - h, barWidth, h).fillColor(BAR).fill();
    });
    doc.moveTo(axisX, base).lineTo(axisX + plotWidth, base).lineWidth(0.8).strokeColor(BLACK).stroke();
    // A label at the first week of each month, skipping any that would overlap the last one.
    this.style('regular', 7, GREY);
    let lastLabelEnd = -Infinity;
    let lastMonth = '';
    weeks.forEach((w, i) => {
      const month = w.weekStarting.slice(0, 7);
      if (month === lastMonth) return;
      lastMonth = month;
      const label = new Date(`${w.weekStarting}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
      const lx = axisX + i * slot;
      if (lx < lastLabelEnd + 6) return;
      doc.moveTo(lx, base).lineTo(lx, base + 3).lineWidth(0.5).strokeColor(BLACK).stroke();
      doc.fillColor(GREY).text(label, lx, base + 5, { lineBreak: false });
      lastLabelEnd = lx + doc.widthOfString(label);
    });
    const total = weeks.reduce((n, w) => n + w.count, 0);
    this.y = base + 18;
    this.paragraph([{ text: `${total} items over ${weeks.length} weeks; the busiest week had ${max}.`, size: 8.5 }]);
    this.y += 10;
  }

  restrictionHistory(): void {
    const history = [...this.ctx.referral.restrictionHistory].sort((a, b) => a.at.getTime() - b.at.getTime());
    this.heading('Restriction history');
    if (history.length === 0) {
      this.paragraph([{ text: 'No restrictions are recorded for this person.', size: 9 }]);
      this.y += 10;
      return;
    }
    const columns: Column[] = [
      { header: 'Date (UTC / UK time)', width: 120 },
      { header: 'Restriction', width: 80 },
      { header: 'Event', width: 100 },
      { header: 'What it restricts', width: 220 },
      { header: 'By', width: 110 },
      { header: 'Note', width: this.contentWidth - 630 },
    ];
    this.tableHeader(columns);
    for (const h of history) {
      this.row(columns, [
        [{ text: utcTime(h.at) }, { text: ukLocalTime(h.at), color: GREY }],
        [{ text: h.restrictionId }],
        [{ text: h.event.replace(/_/g, ' ') }],
        [{ text: h.kinds.map((k) => RESTRICTION_KIND_LABELS[k]).join('\n') }],
        [{ text: h.by }],
        [{ text: h.note ?? '' }],
      ]);
    }
    this.y += 12;
  }

  async items(items: AsyncIterable<ReportItem>): Promise<void> {
    const columns: Column[] = [
      { header: 'Exhibit', width: 84 },
      { header: 'Written (UTC / UK time)', width: 118 },
      { header: 'Platform and account', width: 118 },
      { header: 'Text as written', width: 248 },
      { header: 'Link', width: 92 },
      { header: 'Why it was flagged', width: this.contentWidth - 660 },
    ];
    this.heading('Items in time order');
    this.paragraph([{ text: 'Times are shown in UTC and in UK local time (GMT or BST). The text is exactly as the platform gave it; markup is shown, not followed.', size: 8.5, color: GREY }]);
    this.y += 4;
    this.tableHeader(columns);
    for await (const item of items) {
      this.row(columns, itemCells(item), item.permalink);
      while (this.doc.readableLength > BUFFER_LIMIT && !this.doc.destroyed) await new Promise((resolve) => setImmediate(resolve));
      if (this.doc.destroyed) throw new Error('The report stopped being read (the pack output failed); no pack was written.');
    }
  }

  /** Column headings; at the start of a table, only where the first row can follow them. */
  private tableHeader(columns: Column[], room = 90): void {
    this.ensureRoom(room);
    const height = 14;
    this.doc.rect(MARGIN, this.y, this.contentWidth, height).fillColor('#f3f2f1').fill();
    this.style('bold', 8, BLACK);
    let x = MARGIN;
    for (const c of columns) {
      this.doc.text(c.header, x + CELL_PAD, this.y + 3, { lineBreak: false });
      x += c.width;
    }
    this.y += height;
  }

  /** One table row; a row taller than the page continues on the next, with the header repeated. */
  private row(columns: Column[], cells: Cell[], link?: string): void {
    const laid = columns.map((c, i) => this.layout(cells[i] ?? [], c.width - 2 * CELL_PAD));
    const heightOf = (lines: StyledLine[]): number => lines.reduce((h, l) => h + l.height, 0);
    const rowHeight = Math.max(...laid.map(heightOf)) + 2 * CELL_PAD;
    const fullPage = this.bottom - this.top - 14;
    if (this.y + rowHeight > this.bottom && (rowHeight <= fullPage || this.bottom - this.y < 60)) {
      this.newPage();
      this.tableHeader(columns, 0);
    }
    const next = laid.map(() => 0);
    let first = true;
    while (first || laid.some((lines, i) => next[i]! < lines.length)) {
      if (!first) {
        this.newPage();
        this.tableHeader(columns, 0);
      }
      const room = this.bottom - this.y - 2 * CELL_PAD;
      let chunkHeight = 0;
      let x = MARGIN;
      laid.forEach((lines, i) => {
        const take: StyledLine[] = [];
        let h = 0;
        while (next[i]! < lines.length && h + lines[next[i]!]!.height <= room) {
          const line = lines[next[i]!]!;
          take.push(line);
          h += line.height;
          next[i]!++;
        }
        this.drawLines(take, x + CELL_PAD, this.y + CELL_PAD, columns[i]!.width - 2 * CELL_PAD);
        if (first && i === 4 && link && /^https?:\/\//i.test(link)) this.doc.link(x, this.y, columns[i]!.width, h + 2 * CELL_PAD, link);
        chunkHeight = Math.max(chunkHeight, h);
        x += columns[i]!.width;
      });
      chunkHeight += 2 * CELL_PAD;
      this.doc.moveTo(MARGIN, this.y + chunkHeight).lineTo(MARGIN + this.contentWidth, this.y + chunkHeight).lineWidth(0.4).strokeColor(RULE).stroke();
      this.y += chunkHeight;
      first = false;
    }
  }
}

/**
 * pdfkit caches the shaped layout of every distinct word for the life of the document; a report
 * of thousands of items (ids, links, hashes: all distinct) would grow without limit, so the
 * cache is emptied every LAYOUT_CACHE_PAGES pages. Relies on pdfkit's EmbeddedFont.layoutCache; if a later pdfkit
 * renames it, this does nothing and only memory use changes.
 */
function forgetWordLayouts(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies ?? {};
  for (const font of Object.values(families)) if (font.layoutCache) font.layoutCache = Object.create(null);
}

function itemCells(item: ReportItem): Cell[] {
  const account: Span[] = [{ text: platformName(item.platform), font: 'bold' }, { text: `account id ${item.accountId}` }];
  if (item.handle) account.push({ text: `@${item.handle}` });
  if (item.displayName) account.push({ text: item.displayName, color: GREY });
  account.push({ text: `comment id ${item.externalId}`, size: 7, color: GREY });

  const text: Span[] = [{ text: item.text === '' ? '(no text)' : item.text, size: 8.5 }];
  for (const c of item.threadContext) {
    text.push({ text: `${c.relation.replace('_', ' ')} by ${c.handle ? `@${c.handle}` : `account ${c.accountId}`}, ${utcTime(c.createdAt)}: ${c.text}`, size: 7, color: GREY });
  }
  for (const g of item.platformGone) {
    text.push({ text: `Platform reports ${g.status.replace(/_/g, ' ')} (checked ${utcTime(g.checkedAt)}): ${g.detail}`, size: 7, color: ALERT });
  }

  const flags: Span[] = item.flags.flatMap((f) => {
    const spans: Span[] = [{ text: `${f.category}: ${f.reason}` }];
    if (f.target) spans.push({ text: `Directed at: ${hateCrimeLabel(f.target)}`, color: ALERT });
    if (f.offences.length) spans.push({ text: `May amount to: ${f.offences.map(offenceShortLabel).join('; ')}`, size: 7, color: GREY });
    return spans;
  });

  return [
    [
      { text: item.exhibit, font: 'bold', size: 9 },
      { text: `items/${exhibitFileStem(item.exhibit)}.json`, size: 6.5, color: GREY },
      { text: `SHA-256 ${item.rawPayloadSha256}`, font: 'mono', size: 5.5, color: GREY },
    ],
    [{ text: utcTime(item.createdAt) }, { text: ukLocalTime(item.createdAt) }, { text: `captured ${utcTime(item.capturedAt)}`, size: 7, color: GREY }],
    account,
    text,
    [{ text: item.permalink ?? 'none recorded', size: 7, color: item.permalink ? BAR : GREY }],
    flags.length ? flags : [{ text: 'No detector flag; included by the officer', color: GREY }],
  ];
}
