// What officers decide about flagged comments: dismissals with reasons, and corrections of the
// detector's flags, kept for later evaluation of the detector. Recorded as events, never edits.
import { Schema, type Connection, type Model } from 'mongoose';

export interface FlagCorrectionFields {
  commentId: string;
  category: string;
  /** `wrong`: the flag should not have been raised; `missed`: a flag that should have been. */
  verdict: 'wrong' | 'missed';
  note?: string;
  text: string;
  detectorVersion?: string;
  by: string;
  at: Date;
}

const correctionSchema = new Schema<FlagCorrectionFields>(
  {
    commentId: { type: String, required: true },
    category: { type: String, required: true },
    verdict: { type: String, enum: ['wrong', 'missed'], required: true },
    note: String,
    text: { type: String, required: true },
    detectorVersion: String,
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function flagCorrectionModel(conn: Connection): Model<FlagCorrectionFields> {
  return conn.model<FlagCorrectionFields>('FlagCorrection', correctionSchema, 'flag_corrections');
}
