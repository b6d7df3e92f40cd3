// A private temporary file that holds the items of a pack between the two things the pack does
// with them: the item files are written as the items arrive, the report is written after, in
// time order, once the summary and timeline are known. Only an index (time, offset, length) is
// kept in memory, so 5,000 or 50,000 items cost the same. The file is removed when done.

import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvidenceItem } from '../../core/evidence';

/** What the report shows of an item: everything but the raw payload (which has its own file). */
export type ReportItem = Omit<EvidenceItem, 'rawPayload'>;

interface IndexEntry {
  createdAt: number;
  arrival: number;
  offset: number;
  length: number;
}

const FLUSH_BYTES = 256 * 1024;

export class ItemSpool {
  private readonly index: IndexEntry[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async create(parentDir = tmpdir()): Promise<ItemSpool> {
    const dir = await mkdtemp(join(parentDir, 'evidence-pack-'));
    // Owner-only: the spool holds comment text from a confidential case.
    const file = await open(join(dir, 'items.ndjson'), 'w+', 0o600);
    return new ItemSpool(dir, file);
  }

  get count(): number {
    return this.index.length;
  }

  async add(item: ReportItem): Promise<void> {
    const line = Buffer.from(JSON.stringify(item), 'utf8');
    this.index.push({ createdAt: item.createdAt.getTime(), arrival: this.index.length, offset: this.written + this.pendingBytes, length: line.length });
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.file.write(chunk, 0, chunk.length, this.written);
    this.written += chunk.length;
  }

  /** The items oldest first (ties in the order they arrived). */
  async *chronological(): AsyncGenerator<ReportItem> {
    await this.flush();
    const order = [...this.index].sort((a, b) => a.createdAt - b.createdAt || a.arrival - b.arrival);
    for (const entry of order) {
      const buffer = Buffer.alloc(entry.length);
      await this.file.read(buffer, 0, entry.length, entry.offset);
      yield reviveItem(JSON.parse(buffer.toString('utf8')) as ReportItem);
    }
  }

  async dispose(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function reviveItem(item: ReportItem): ReportItem {
  return {
    ...item,
    createdAt: new Date(item.createdAt),
    capturedAt: new Date(item.capturedAt),
    threadContext: item.threadContext.map((c) => ({ ...c, createdAt: new Date(c.createdAt) })),
    platformGone: item.platformGone.map((g) => ({ ...g, checkedAt: new Date(g.checkedAt) })),
  };
}
