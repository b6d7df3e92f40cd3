// Where each platform account was last read up to. Saved only after the comments it covers
// are stored, so a crash between the two causes a re-read, never a gap.
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const cursorSchema = new Schema(
  {
    platform: { type: String, required: true },
    councilAccountId: { type: String, required: true },
    cursor: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
cursorSchema.index({ platform: 1, councilAccountId: 1 }, { unique: true });

export type CursorDoc = InferSchemaType<typeof cursorSchema>;

export function cursorModel(conn: Connection): Model<CursorDoc> {
  return conn.model<CursorDoc>('Cursor', cursorSchema, 'cursors');
}
