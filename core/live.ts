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
  /** Content flags: category, score, reason, the spans that caused it, and offences it may amount to. */
  flags: LiveFlag[];
}

export interface LiveFlag {
  category: string;
  score: number;
  reason: string;
  spans: { start: number; end: number }[];
  offences: string[];
  target?: string;
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
  flags?: readonly LiveFlag[];
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
    flags: (c.flags ?? []).map((f) => ({
      category: f.category,
      score: f.score,
      reason: f.reason,
      spans: f.spans.map((s) => ({ start: s.start, end: s.end })),
      offences: [...f.offences],
      ...(f.target ? { target: f.target } : {}),
    })),
  };
}

/** The text cut into pieces, marking the spans a flag points at (for highlighting, never as HTML). */
export function markedSegments(text: string, spans: readonly { start: number; end: number }[]): { text: string; marked: boolean }[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const s of sorted) {
    const start = Math.max(at, Math.min(s.start, text.length));
    const end = Math.min(s.end, text.length);
    if (start > at) out.push({ text: text.slice(at, start), marked: false });
    if (end > start) out.push({ text: text.slice(start, end), marked: true });
    at = Math.max(at, end);
  }
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  return out;
}

export const CATEGORY_LABELS: Record<string, string> = {
  threat: 'Threat',
  hate: 'Hate',
  abuse: 'Abuse or harassment',
  doxxing: 'Personal details',
  selfharm: 'Self-harm risk',
  profanity: 'Profanity',
};
