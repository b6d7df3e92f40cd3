// Redis connections for BullMQ. Workers need `maxRetriesPerRequest: null` so a Redis restart
// pauses them instead of failing jobs; producers fail fast so an HTTP request gets an answer.
import IORedis, { type Redis } from 'ioredis';

export function redisForWorkers(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function redisForProducers(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
}
