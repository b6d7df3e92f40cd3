// socket.io for the live dashboard. The Redis pub/sub adapter joins every server process, so an
// event emitted by any worker (through the emitter) reaches every signed-in officer.
// Only officers allowed to see the live queue join its room.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { LIVE_ROOM, socketKey } from '../core/live';
import { can } from '../core/roles';

export function attachLive(httpServer: HttpServer, opts: { redis: Redis; queuePrefix: string; sessionMiddleware: RequestHandler }): { io: Server; close(): Promise<void> } {
  const pub = opts.redis.duplicate();
  const sub = opts.redis.duplicate();
  const io = new Server(httpServer, { serveClient: true, adapter: createAdapter(pub, sub, { key: socketKey(opts.queuePrefix) }) });
  io.engine.use(opts.sessionMiddleware);
  io.on('connection', (socket) => {
    const officer = (socket.request as unknown as { session?: { officer?: { roles: string[] } } }).session?.officer;
    if (!officer || !can(officer.roles, 'live.view')) {
      socket.emit('unauthorised', { error: 'Sign in with a role that can see the live queue.' });
      socket.disconnect(true);
      return;
    }
    void socket.join(LIVE_ROOM);
  });
  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      pub.disconnect();
      sub.disconnect();
    },
  };
}
