// Builds and starts one server process (HTTP + socket.io) from a validated config; returns a
// stop function that closes it in order. Used by server/main.ts, the demo and tests.
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config';
import { createLogger, type Logger } from '../config/logger';
import { redisForProducers } from '../queues/connection';
import { Pipeline } from '../queues/jobs';
import { loadPlatformConfig, type PlatformConfig } from '../platforms/config';
import { connectStore, type Store } from '../store/connection';
import { createApp } from './app';
import { attachLive } from './live';

export interface RunningServer {
  url: string;
  httpServer: Server;
  app: Express;
  store: Store;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger = createLogger('server', config.LOG_LEVEL),
  platforms: PlatformConfig = loadPlatformConfig(process.env),
): Promise<RunningServer> {
  const redis = redisForProducers(config.REDIS_URL);
  const pipeline = new Pipeline(redis, config.QUEUE_PREFIX);
  const store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  const { app, sessionMiddleware, close: closeApp } = createApp({ config, store, redis, logger, pipeline, platforms });
  const httpServer = createServer(app);
  const live = attachLive(httpServer, { redis, queuePrefix: config.QUEUE_PREFIX, sessionMiddleware });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${address.port}`;
  logger.info({ url }, 'server listening');
  return {
    url,
    httpServer,
    app,
    store,
    async stop() {
      await live.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await closeApp();
      await pipeline.close();
      await store.close();
      redis.disconnect();
    },
  };
}
