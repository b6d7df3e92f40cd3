// One record per (platform, council account, author) blocked or muted, so an author with many
// comments is blocked once, however many comments and worker processes ask for it.
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

export interface PlatformBlockFields {
  _id: string;
  platform: string;
  councilAccountId: string;
  authorId: string;
  /** The comment whose decision caused the block. */
  commentId: string;
  status: 'done' | 'already_done' | 'refused';
  detail: string;
  at: Date;
}

const schema = new Schema<PlatformBlockFields>(
  {
    _id: { type: String, required: true },
    platform: { type: String, required: true },
    councilAccountId: { type: String, required: true },
    authorId: { type: String, required: true },
    commentId: { type: String, required: true },
    status: { type: String, enum: ['done', 'already_done', 'refused'], required: true },
    detail: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function platformBlockModel(conn: Connection): Model<PlatformBlockFields> {
  return conn.model<PlatformBlockFields>('PlatformBlock', schema, 'platform_blocks');
}

export function platformBlockId(platform: string, councilAccountId: string, authorId: string): string {
  return createHash('sha256').update(`${platform}\u0000${councilAccountId}\u0000${authorId}`).digest('hex').slice(0, 32);
}
