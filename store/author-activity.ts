// Recent hostile messages per author, for the course-of-conduct check (Protection from
// Harassment Act 1997). One document per author, found by id, holding the times of their recent
// flagged messages.
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

export interface AuthorActivityFields {
  _id: string;
  platform: string;
  authorId: string;
  /** When each recent hostile message was written (kept for the longest window in use). */
  hostileAt: Date[];
}

const schema = new Schema<AuthorActivityFields>(
  { _id: { type: String, required: true }, platform: { type: String, required: true }, authorId: { type: String, required: true }, hostileAt: { type: [Date], default: [] } },
  { versionKey: false },
);

export function authorActivityModel(conn: Connection): Model<AuthorActivityFields> {
  return conn.model<AuthorActivityFields>('AuthorActivity', schema, 'author_activity');
}

export function authorActivityId(platform: string, authorId: string): string {
  return createHash('sha256').update(`${platform}\u0000${authorId}`).digest('hex').slice(0, 32);
}

/** Records a hostile message (once per comment time) and returns the author's recent ones. */
export async function recordHostileMessage(model: Model<AuthorActivityFields>, platform: string, authorId: string, at: Date, keepSince: Date): Promise<Date[]> {
  const _id = authorActivityId(platform, authorId);
  const doc = await model.findById(_id).lean();
  const times = [...(doc?.hostileAt ?? []).map((d) => new Date(d)).filter((d) => d >= keepSince && d.getTime() !== at.getTime()), at].sort((a, b) => a.getTime() - b.getTime());
  await model.updateOne({ _id }, { $set: { platform, authorId, hostileAt: times.slice(-200) } }, { upsert: true });
  return times;
}
