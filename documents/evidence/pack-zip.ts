// Writes the files of an evidence pack into a ZIP one at a time, hashing each file's bytes as
// they pass and waiting for the output to drain, so a pack of any size streams in flat memory.
// Knows nothing of what the files mean: pack.ts decides the contents.

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import archiver, { type Archiver } from 'archiver';
import type { PackFileRecord } from '../../core/evidence';

export class PackZip {
  private readonly archive: Archiver;
  private failure: Error | undefined;
  private readonly done: Promise<void>;
  readonly files: PackFileRecord[] = [];

  constructor(
    private readonly output: Writable,
    /** Every entry carries the pack's creation time, so the same pack gives the same ZIP. */
    private readonly entryDate: Date,
  ) {
    this.archive = archiver('zip', { zlib: { level: 6 } });
    this.archive.on('warning', (e) => this.fail(e));
    this.archive.on('error', (e) => this.fail(e));
    this.done = pipeline(this.archive, output);
    this.done.catch((e: Error) => this.fail(e));
  }

  private fail(e: Error): void {
    this.failure ??= e;
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Adds a file held in memory (small files: one item's payload, the manifest). */
  async addBuffer(path: string, content: Buffer, record = true): Promise<PackFileRecord> {
    const file = { path, sha256: createHash('sha256').update(content).digest('hex'), size: content.length };
    await this.append(path, content);
    if (record) this.files.push(file);
    return file;
  }

  /** Adds a file produced as a stream (the report PDF), hashing it on the way in. */
  async addStream(path: string, source: Readable): Promise<PackFileRecord> {
    const hash = createHash('sha256');
    let size = 0;
    // A transform, not a 'data' listener: bytes move only as fast as the ZIP takes them.
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const piped = pipeline(source, tap);
    await Promise.all([this.append(path, tap), piped]);
    const file = { path, sha256: hash.digest('hex'), size };
    this.files.push(file);
    return file;
  }

  private async append(name: string, source: Buffer | Readable): Promise<void> {
    this.check();
    const written = new Promise<void>((resolve, reject) => {
      const onEntry = (): void => {
        this.archive.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        this.archive.off('entry', onEntry);
        reject(e);
      };
      this.archive.once('entry', onEntry);
      this.archive.once('error', onError);
    });
    this.archive.append(source, { name, date: this.entryDate });
    await written;
    // Back-pressure: a slow reader (an HTTP download) holds us here rather than in memory.
    if (this.output.writableNeedDrain) await Promise.race([once(this.output, 'drain'), this.done]);
    this.check();
  }

  async finish(): Promise<void> {
    this.check();
    await Promise.all([this.archive.finalize(), this.done]);
    this.check();
  }

  /** Stops writing after a failure; the output is left incomplete and must be discarded. */
  abort(): void {
    this.archive.abort();
  }
}
