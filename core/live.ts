// The events the live dashboard receives over socket.io, shared by the workers that publish them
// and the server that relays them. Carries only what a moderator needs: no confidential notes.
export const LIVE_ROOM = 'live';
export const COMMENT_DECIDED = 'comment.decided';

/** The pub/sub channel prefix shared by the servers' socket.io adapter and the workers' emitter. */
export function socketKey(queuePrefix: string): string {
  return `${queuePrefix}-socket.io`;
}

export interface LiveCommentEvent {
  id: string;
  platform: string;
  author: { accountId: string; handle?: string; displayName?: string };
  text: string;
  createdAt: string;
  capturedAt: string;
  permalink?: string;
  decision: { outcome: string; actions: string[]; reasons: { rule: string; detail: string }[]; personName?: string; restrictionKinds: string[] };
}

/** The fields of a decided comment the live event is made from (a stored comment has them all). */
export interface DecidedCommentLike {
  _id: unknown;
  platform: string;
  author: { accountId: string; handle?: string; displayName?: string };
  text: string;
  createdAt: Date | string;
  capturedAt: Date | string;
  permalink?: string;
  decision?: { outcome: string; actions: string[]; reasons: { rule: string; detail: string }[]; personName?: string; restrictionKinds: string[] };
}

/** One shape for the first page load and the live stream, so both render alike. */
export function toLiveEvent(c: DecidedCommentLike): LiveCommentEvent {
  return {
    id: String(c._id),
    platform: c.platform,
    author: { accountId: c.author.accountId, handle: c.author.handle, displayName: c.author.displayName },
    text: c.text,
    createdAt: new Date(c.createdAt).toISOString(),
    capturedAt: new Date(c.capturedAt).toISOString(),
    permalink: c.permalink,
    decision: {
      outcome: c.decision?.outcome ?? 'pending',
      actions: [...(c.decision?.actions ?? [])],
      reasons: (c.decision?.reasons ?? []).map((r) => ({ rule: r.rule, detail: r.detail })),
      personName: c.decision?.personName,
      restrictionKinds: [...(c.decision?.restrictionKinds ?? [])],
    },
  };
}
