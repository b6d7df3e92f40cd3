// Typed errors shared by every layer. server/ maps them to HTTP answers in one place;
// workers decide from them whether a job is retried. A message tells a person what to do next.

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not meet the rules; `field` names the offending field for the error summary. */
export class ValidationFailed extends DomainError {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {}

export class Forbidden extends DomainError {}

/** A state change the rules do not allow (e.g. approving an already lifted restriction). */
export class Conflict extends DomainError {}

/** The platform asked us to wait; `resetAt` is when it said we may try again. */
export class PlatformRateLimited extends DomainError {
  constructor(
    public readonly platform: string,
    public readonly resetAt: Date,
    message = `${platform} rate limit reached; retry after ${resetAt.toISOString()}`,
  ) {
    super(message);
  }
}

/** The platform refused the action for good (e.g. the comment no longer exists): do not retry. */
export class PlatformRefused extends DomainError {
  constructor(
    public readonly platform: string,
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A transient platform failure (5xx, timeout, malformed answer): retry with backoff. */
export class PlatformUnavailable extends DomainError {
  constructor(
    public readonly platform: string,
    message: string,
  ) {
    super(message);
  }
}
