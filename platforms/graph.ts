// Graph API plumbing shared by the Facebook Page and Instagram connectors (facebook-nodejs-business-sdk):
// one SDK client per council account, pointed at the configured base URL, that keeps the exact JSON text
// of every answer for evidence, and one translation of Graph errors into the service's platform errors.

import { createRequire } from 'node:module';
import { FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import type { z } from 'zod';
import {
  DomainError,
  PlatformRateLimited,
  PlatformRefused,
  PlatformUnavailable,
  ValidationFailed,
} from '../core/errors';
import type { RateLimitStatus } from './adapter';
import { PlatformJsonText, describeZodIssues } from './raw-json';

export const GRAPH_API = 'https://graph.facebook.com';

/** An answer the SDK handed back, with the text it was parsed from. */
export interface GraphAnswer<T> {
  body: T;
  json: PlatformJsonText;
  rateLimit?: RateLimitStatus;
}

type GraphPlatform = 'facebook' | 'instagram';

const ANSWER_TEXT = Symbol('graph answer text');
const NOT_JSON = Symbol('graph answer that is not JSON');

/**
 * The SDK's client with every request sent to `baseUrl` (the SDK's own `urlOverride`), instead of
 * redefining the process-wide `FacebookAdsApi.GRAPH`: each council account may point elsewhere.
 */
class CouncilGraphApi extends FacebookAdsApi {
  constructor(
    accessToken: string,
    private readonly baseUrl: string,
  ) {
    // Third argument false: the SDK's crash reporter would install a process-wide handler posting to Facebook.
    super(accessToken, 'en_US', false);
    // Usage headers (X-App-Usage, X-Business-Use-Case-Usage) arrive on successful answers only when asked for.
    this.setShowHeader(true);
  }

  override call<T>(
    method: string,
    path: string | string[],
    params?: Record<string, unknown>,
    files?: Record<string, unknown>,
    useMultipartFormData?: boolean,
    urlOverride?: string,
  ): Promise<T> {
    return super.call<T>(method, path, params, files, useMultipartFormData, urlOverride || this.baseUrl);
  }
}

interface AxiosRequestConfigLike {
  url?: string;
  timeout?: number;
  transformResponse?: unknown;
}
interface AxiosLike {
  interceptors: {
    request: { use(onFulfilled: (config: AxiosRequestConfigLike) => AxiosRequestConfigLike): number };
  };
}

/** Timeouts by base URL, for the one interceptor that serves every Graph client in the process. */
const timeoutsByBase = new Map<string, number>();
let interceptorInstalled = false;

/**
 * The SDK parses answers through the axios it requires; to keep the exact text we give that same axios
 * instance (resolved from the SDK's own location) a response transform for requests to our Graph bases.
 * It parses exactly as axios would and remembers the text; bodies that are not JSON become a marked object,
 * so the SDK's error path (which re-parses strings) cannot throw a SyntaxError of its own.
 */
function keepGraphAnswerText(baseUrl: string, timeoutMs: number): void {
  timeoutsByBase.set(baseUrl, timeoutMs);
  if (interceptorInstalled) return;
  const sdkRequire = createRequire(require.resolve('facebook-nodejs-business-sdk'));
  const axios = sdkRequire('axios') as AxiosLike;
  axios.interceptors.request.use((config) => {
    const base = [...timeoutsByBase.keys()].find((b) => config.url?.startsWith(`${b}/`));
    if (base === undefined) return config;
    config.timeout = timeoutsByBase.get(base);
    config.transformResponse = [parseKeepingText];
    return config;
  });
  interceptorInstalled = true;
}

function parseKeepingText(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === 'object') {
      Object.defineProperty(parsed, ANSWER_TEXT, { value: data, enumerable: false });
      return parsed;
    }
  } catch {
    // fall through: the marker below carries the text
  }
  return { [NOT_JSON]: data };
}

export interface GraphClientOptions {
  platform: GraphPlatform;
  accessToken: string;
  baseUrl?: string;
  timeoutMs?: number;
  now: () => Date;
}

/** One council account's Graph client: SDK objects are built on `api`, reads go through `get`. */
export class GraphClient {
  readonly api: FacebookAdsApi;
  readonly platform: GraphPlatform;
  private readonly now: () => Date;

  constructor(options: GraphClientOptions) {
    const baseUrl = (options.baseUrl ?? GRAPH_API).replace(/\/+$/, '');
    keepGraphAnswerText(baseUrl, options.timeoutMs ?? 10_000);
    this.api = new CouncilGraphApi(options.accessToken, baseUrl);
    this.platform = options.platform;
    this.now = options.now;
  }

  /** GET through the SDK, validated with `schema`, keeping the exact text (for comments' raw payloads). */
  async get<S extends z.ZodTypeAny>(
    path: string[],
    params: Record<string, string | number>,
    schema: S,
  ): Promise<GraphAnswer<z.infer<S>>> {
    return this.request('GET', path, params, schema);
  }

  async post<S extends z.ZodTypeAny>(
    path: string[],
    params: Record<string, string | number | boolean>,
    schema: S,
  ): Promise<GraphAnswer<z.infer<S>>> {
    return this.request('POST', path, params, schema);
  }

  /** Runs an SDK object call (e.g. `comment.update`) and returns its answer with the text it came in. */
  async sdk<S extends z.ZodTypeAny>(
    what: string,
    run: () => Promise<unknown>,
    schema: S,
  ): Promise<GraphAnswer<z.infer<S>>> {
    return this.checked(what, await this.run(run), schema);
  }

  /** Runs an SDK call and translates its failures, for calls whose answer the SDK turns into objects. */
  async run<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      throw this.translateError(e);
    }
  }

  private async request<S extends z.ZodTypeAny>(
    method: 'GET' | 'POST',
    path: string[],
    params: Record<string, string | number | boolean>,
    schema: S,
  ): Promise<GraphAnswer<z.infer<S>>> {
    // The SDK adds access_token to the object it is given: pass a copy so callers' objects stay clean.
    const answer = await this.run(() => this.api.call<unknown>(method, path, { ...params }));
    return this.checked(`${method} /${path.join('/')}`, answer, schema);
  }

  private checked<S extends z.ZodTypeAny>(what: string, answer: unknown, schema: S): GraphAnswer<z.infer<S>> {
    const name = this.platformName();
    const text = answerText(answer);
    if (text === undefined) {
      const received =
        answer && typeof answer === 'object' && NOT_JSON in answer
          ? String((answer as Record<symbol, unknown>)[NOT_JSON])
          : '';
      throw new PlatformUnavailable(
        this.platform,
        `${name} answered ${what} with a body that is not a JSON object (${JSON.stringify(received.slice(0, 60))}); try again later`,
      );
    }
    const json = PlatformJsonText.parse(text);
    const checked = schema.safeParse(json.value);
    if (!checked.success) {
      throw new PlatformUnavailable(
        this.platform,
        `${name} answered ${what} in an unexpected shape (${describeZodIssues(checked.error.issues)}); try again later`,
      );
    }
    const headers = (answer as { headers?: unknown }).headers;
    const rateLimit = usageFromHeaders(headers, this.now());
    return { body: checked.data, json, ...(rateLimit ? { rateLimit } : {}) };
  }

  private platformName(): string {
    return this.platform === 'facebook' ? 'Facebook' : 'Instagram';
  }

  private translateError(e: unknown): unknown {
    if (e instanceof DomainError) return e;
    const name = this.platformName();
    // The SDK does not export FacebookRequestError: recognise it by name (STACK-NOTES).
    if (e instanceof Error && e.name === 'FacebookRequestError') {
      const failure = e as Error & { status?: number | null; response?: unknown; headers?: unknown };
      const error = graphErrorOf(failure.response);
      const status = failure.status ?? undefined;
      const said = error.message ?? failure.message;
      const reference = [
        error.code !== undefined ? `code ${error.code}` : '',
        error.fbtrace_id ? `trace ${error.fbtrace_id}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      if (status === 429 || (error.code !== undefined && isThrottlingCode(error.code))) {
        return new PlatformRateLimited(this.platform, resetFromHeaders(failure.headers, this.now()));
      }
      if (status === undefined)
        return new PlatformUnavailable(this.platform, `Could not reach ${name} (${said}); try again later`);
      if (status >= 500 || error.is_transient === true || error.code === 1 || error.code === 2) {
        return new PlatformUnavailable(
          this.platform,
          `${name} is having trouble (HTTP ${status}: ${said}${reference ? `; ${reference}` : ''}); try again later`,
        );
      }
      return new PlatformRefused(
        this.platform,
        status,
        `${name} refused the request (HTTP ${status}: ${said}${reference ? `; ${reference}` : ''})`,
      );
    }
    // The SDK fails in its own ways on answers it cannot use (e.g. a TypeError on an unexpected body).
    return new PlatformUnavailable(
      this.platform,
      `${name} answered in a way the SDK could not use (${e instanceof Error ? e.message : String(e)}); try again later`,
    );
  }
}

function answerText(answer: unknown): string | undefined {
  if (answer && typeof answer === 'object' && ANSWER_TEXT in answer) {
    const text = (answer as Record<symbol, unknown>)[ANSWER_TEXT];
    return typeof text === 'string' ? text : undefined;
  }
  return undefined;
}

interface GraphError {
  message?: string;
  code?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

function graphErrorOf(response: unknown): GraphError {
  if (!response || typeof response !== 'object' || NOT_JSON in response) return {};
  const r = response as Record<string, unknown>;
  return {
    ...(typeof r.message === 'string' ? { message: r.message } : {}),
    ...(typeof r.code === 'number' ? { code: r.code } : {}),
    ...(typeof r.is_transient === 'boolean' ? { is_transient: r.is_transient } : {}),
    ...(typeof r.fbtrace_id === 'string' ? { fbtrace_id: r.fbtrace_id } : {}),
  };
}

/** Graph's throttling codes: 4 app, 17 user, 32 Page, 613 custom limit, 80001–80014 business use case. */
export function isThrottlingCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80001 && code <= 80014);
}

/** Graph names no reset for app-level throttling (usage is over a rolling hour); we try again after this. */
const DEFAULT_GRAPH_WAIT_MS = 15 * 60_000;

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function parseJsonHeader(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

interface UsageEntry {
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
  estimated_time_to_regain_access?: number;
}

/** X-Business-Use-Case-Usage: `{ "<object id>": [ { type, call_count, …, estimated_time_to_regain_access (minutes) } ] }`. */
function businessUseCaseEntries(headers: unknown): UsageEntry[] {
  const parsed = parseJsonHeader(header(headers, 'x-business-use-case-usage'));
  if (!parsed || typeof parsed !== 'object') return [];
  return Object.values(parsed as Record<string, unknown>).flatMap((v) =>
    Array.isArray(v) ? (v as UsageEntry[]) : [],
  );
}

function appUsage(headers: unknown): UsageEntry | undefined {
  const parsed = parseJsonHeader(header(headers, 'x-app-usage'));
  return parsed && typeof parsed === 'object' ? (parsed as UsageEntry) : undefined;
}

/** When Graph says we may call again: the longest `estimated_time_to_regain_access` it named, else our default wait. */
export function resetFromHeaders(headers: unknown, now: Date): Date {
  const minutes = Math.max(
    0,
    ...businessUseCaseEntries(headers).map((e) => Number(e.estimated_time_to_regain_access) || 0),
  );
  return new Date(now.getTime() + (minutes > 0 ? minutes * 60_000 : DEFAULT_GRAPH_WAIT_MS));
}

/** Usage headers are percentages of the allowance: reported as limit 100, remaining 100 minus the highest use. */
export function usageFromHeaders(headers: unknown, now: Date): RateLimitStatus | undefined {
  const entries = [
    ...businessUseCaseEntries(headers),
    ...(appUsage(headers) ? [appUsage(headers) as UsageEntry] : []),
  ];
  if (entries.length === 0) return undefined;
  const used = Math.max(
    ...entries.flatMap((e) => [e.call_count, e.total_cputime, e.total_time].map((n) => Number(n) || 0)),
  );
  const minutes = Math.max(0, ...entries.map((e) => Number(e.estimated_time_to_regain_access) || 0));
  // Usage is measured over a rolling hour, so an hour from now is when today's use has surely drained.
  return {
    limit: 100,
    remaining: Math.max(0, 100 - used),
    resetAt: new Date(now.getTime() + (minutes > 0 ? minutes : 60) * 60_000),
  };
}

/** Graph times look like 2026-01-05T09:00:00+0000 (no colon in the offset). */
export function graphTime(value: string): Date {
  return new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Facebook and Instagram cursors: the creation time (Unix seconds) of the newest comment read. */
export function parseSinceCursor(cursor: string | undefined, platform: GraphPlatform): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(cursor) as { since?: unknown };
    if (typeof parsed.since === 'number' && Number.isInteger(parsed.since) && parsed.since >= 0)
      return parsed.since;
  } catch {
    // fall through to the error below
  }
  throw new ValidationFailed(
    'cursor',
    `The stored ${platform} cursor is not one this connector wrote; clear it to read from the start`,
  );
}

export function sinceCursor(since: number | undefined, previous: string | undefined): string | undefined {
  return since === undefined ? previous : JSON.stringify({ since });
}

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
