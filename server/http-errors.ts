// The one place where errors become HTTP answers: typed domain errors, body-parser errors,
// CSRF failures and anything unexpected (logged, never shown to the user in detail).
import type { ErrorRequestHandler, Request } from 'express';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../core/errors';
import type { Logger } from '../config/logger';

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path.startsWith('/webhooks/') || req.is('application/json') === 'application/json' || !req.accepts('html');
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let message = 'Sorry, there is a problem with the service. Try again later.';
    let field: string | undefined;
    const e = err as { status?: number; type?: string; code?: string; message?: string; limit?: number };
    if (err instanceof HttpError) [status, message] = [err.status, err.message];
    else if (err instanceof ValidationFailed) [status, message, field] = [400, err.message, err.field];
    else if (err instanceof Forbidden) [status, message] = [403, err.message];
    else if (err instanceof NotFound) [status, message] = [404, err.message];
    else if (err instanceof Conflict) [status, message] = [409, err.message];
    else if (e.type === 'entity.too.large') [status, message] = [413, `The request is too large: the limit is ${Math.round((e.limit ?? 0) / 1024)} KB.`];
    else if (e.type === 'entity.parse.failed') [status, message] = [400, 'The request body is not valid JSON.'];
    else if (e.code === 'EBADCSRFTOKEN' || e.message === 'invalid csrf token')
      [status, message] = [403, 'Your form has expired or was not sent from this service. Go back, reload the page and try again.'];
    else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) [status, message] = [e.status, e.message ?? 'Bad request'];

    if (status >= 500) logger.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status);
    if (wantsJson(req)) res.json({ error: message, ...(field ? { field } : {}) });
    else res.render('error.njk', { status, message });
  };
}
