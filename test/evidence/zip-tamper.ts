// Rewrites an evidence pack the way someone tampering with it would: unzip, change a file, zip
// again. Used by tests to show the verifier notices.

import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import archiver from 'archiver';
import yauzl from 'yauzl';

/** Every file of a ZIP, by name, in the order stored. */
export function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Writes `files` as a new ZIP; `edit` may change or (returning null) drop a file. */
export async function writeZip(path: string, files: Map<string, Buffer>): Promise<void> {
  const archive = archiver('zip');
  const done = pipeline(archive, createWriteStream(path));
  for (const [name, data] of files) archive.append(data, { name });
  await archive.finalize();
  await done;
}

export async function tamperWithPack(source: string, target: string, edit: (files: Map<string, Buffer>) => void): Promise<void> {
  const files = await readZip(source);
  edit(files);
  await writeZip(target, files);
}
