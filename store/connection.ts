// Opens the MongoDB connection (MongoDB 7 in production, FerretDB locally) and registers every
// model on it. Keeps to what both servers support (see STACK-NOTES): no transactions, change
// streams, TTL/partial/text indexes, $lookup, or findOneAndUpdate with a projection.
import mongoose, { type Connection } from 'mongoose';
import { actionIntentModel, commentActionModel, commentModel, decisionModel } from './comment';
import { officerModel } from './officer';
import { auditModel } from './audit';
import { personModel, registerCounterModel, registerMatchModel, restrictionLetterModel, restrictionModel } from './register';
import { cursorModel } from './cursor';
import { platformBlockModel } from './platform-blocks';
import { authorActivityModel } from './author-activity';
import { flagCorrectionModel } from './moderation';
import { meetingLockModel, meetingModel, speakingRequestModel } from './meetings';
import { platformGoneModel, referralCounterModel, referralModel } from './referrals';

export function registerModels(conn: Connection) {
  return {
    comments: commentModel(conn),
    decisions: decisionModel(conn),
    commentActions: commentActionModel(conn),
    actionIntents: actionIntentModel(conn),
    officers: officerModel(conn),
    audit: auditModel(conn),
    people: personModel(conn),
    restrictions: restrictionModel(conn),
    restrictionLetters: restrictionLetterModel(conn),
    registerMatches: registerMatchModel(conn),
    registerCounters: registerCounterModel(conn),
    cursors: cursorModel(conn),
    platformBlocks: platformBlockModel(conn),
    authorActivity: authorActivityModel(conn),
    flagCorrections: flagCorrectionModel(conn),
    meetings: meetingModel(conn),
    meetingLocks: meetingLockModel(conn),
    speakingRequests: speakingRequestModel(conn),
    referrals: referralModel(conn),
    referralCounters: referralCounterModel(conn),
    platformGone: platformGoneModel(conn),
  };
}

export type Models = ReturnType<typeof registerModels>;

export interface Store {
  conn: Connection;
  models: Models;
  /** Answers whether the database responds to a ping within a second. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectStore(mongoUrl: string, dbName: string): Promise<Store> {
  const conn = mongoose.createConnection(mongoUrl, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    autoIndex: false, // created below, once, so a failure is reported rather than swallowed
    maxPoolSize: 20,
  });
  await conn.asPromise();
  const models = registerModels(conn);
  for (const model of Object.values(models)) await model.createIndexes();
  return {
    conn,
    models,
    async ping() {
      try {
        const db = conn.db;
        if (!db || conn.readyState !== 1) return false;
        await Promise.race([
          db.command({ ping: 1 }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
        ]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await conn.close();
    },
  };
}
