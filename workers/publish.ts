// Sends decided comments to the live dashboard from any worker process, through Redis
// (socket.io's emitter reaches every server process via the pub/sub adapter).
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { COMMENT_DECIDED, LIVE_ROOM, toLiveEvent, type DecidedCommentLike } from '../core/live';

export class LivePublisher {
  private readonly emitter: Emitter;

  constructor(redis: Redis, key: string) {
    this.emitter = new Emitter(redis, { key });
  }

  commentDecided(c: DecidedCommentLike): void {
    if (!c.decision) return;
    this.emitter.to(LIVE_ROOM).emit(COMMENT_DECIDED, toLiveEvent(c));
  }
}
