// Starts the project's own Redis and FerretDB once for the whole suite (unless REDIS_URL /
// MONGO_URL point elsewhere) and hands their URLs to every test file through the environment.
import { ensureLocalServices } from '../../scripts/local-services';

export default async function globalSetup(): Promise<void> {
  const { redisUrl, mongoUrl } = await ensureLocalServices();
  process.env.TEST_REDIS_URL = redisUrl;
  process.env.TEST_MONGO_URL = mongoUrl;
}
