// SHA-256 as the evidence pack and audit trail write it: lower-case hex of the exact bytes.
// Strings are hashed as their UTF-8 bytes, which is how they are written to files.

import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
