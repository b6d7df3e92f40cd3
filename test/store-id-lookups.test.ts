// The store finds, updates and deletes documents by _id on every hot path (see store/comments.ts).
// FerretDB 1.24.1 as published scans the whole table for those lookups; scripts/ferretdb/build.js
// builds it so they use the _id index. This checks the server's own query plan, not a timing.
import { Types } from 'mongoose';
import { connectStore, type Store } from '../store/connection';
import { servedByFerretDB, testConfig } from './helpers/stack';

let store: Store;
let ferretdb = false;

beforeAll(async () => {
  const config = testConfig();
  store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  ferretdb = await servedByFerretDB(store);
});

afterAll(async () => {
  await store.conn.dropDatabase().catch(() => undefined);
  await store.close();
});

const plan = async (filter: object): Promise<string> => {
  const r = await store.conn.db!.command({ explain: { find: 'comments', filter } });
  return JSON.stringify(r.queryPlanner);
};

describe('looking a comment up by its id', () => {
  it('uses the _id index on the local FerretDB, for string and ObjectId ids', async () => {
    await store.models.comments.collection.insertMany(
      Array.from({ length: 20 }, (_, i) => ({ _id: new Types.ObjectId(), n: i })),
    );
    if (!ferretdb) return; // MongoDB always uses its _id index; nothing of ours to check
    expect(await plan({ _id: new Types.ObjectId() })).toMatch(/USING INDEX \S+__id_/);
    expect(await plan({ _id: 'a-string-id' })).toMatch(/USING INDEX \S+__id_/);
  });

  it('finds and updates the right document among many', async () => {
    const ids = Array.from({ length: 200 }, () => new Types.ObjectId());
    await store.models.comments.collection.insertMany(ids.map((_id, n) => ({ _id, n })));
    const target = ids[137]!;
    const r = await store.models.comments.collection.updateOne({ _id: target }, { $set: { marked: true } });
    expect(r.modifiedCount).toBe(1);
    const marked = await store.models.comments.collection.find({ marked: true }).toArray();
    expect(marked.map((d) => String(d._id))).toEqual([String(target)]);
  });
});
