// The platforms the service listens to, and the shape every adapter turns a platform's
// payload into. Never imports an SDK: adapters in platforms/ translate to and from these.

export const PLATFORMS = ['x', 'facebook', 'instagram', 'simulated'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who wrote something, as the platform identifies them. `accountId` is stable; handles change. */
export interface PlatformAuthor {
  platform: Platform;
  accountId: string;
  handle?: string;
  displayName?: string;
}

/**
 * A comment, reply or mention as captured from a platform, before any judgement.
 * `rawPayload` is the platform's payload exactly as received (the JSON text, byte for byte):
 * evidence integrity depends on it never being re-serialised.
 */
export interface CapturedComment {
  platform: Platform;
  /** The platform's own id for the comment: unique per platform. */
  externalId: string;
  /** The council account (page, X user, IG business account) the comment was made on. */
  councilAccountId: string;
  /** The post the comment belongs to, and the comment it replies to (if any). */
  postId?: string;
  parentId?: string;
  author: PlatformAuthor;
  text: string;
  /** When the platform says it was written (UTC). */
  createdAt: Date;
  permalink?: string;
  rawPayload: string;
}

/** An action the service can ask a platform to take. */
export const PLATFORM_ACTIONS = ['hide', 'block', 'mute'] as const;
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];
