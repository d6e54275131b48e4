/**
 * The first checks of every machine call (predict, events, dataset versions): the API key, the
 * scope when it is known before the body is read, and the per-key rate limit. One place, so the
 * three endpoints refuse alike (same codes, messages and headers) and a fix reaches all of them.
 */
import type { Database } from "../../db/client";
import { serverEnv } from "../../env";
import { perDatabase } from "../../process-wide";
import {
  type ApiKeyScope,
  type AuthenticatedApiKey,
  authenticateApiKey,
  bearerTokenOf,
  hasScope,
} from "../api-keys";
import { type RateLimitDecision, SlidingWindowRateLimiter } from "./rate-limit";
import { DatabaseRateLimiter } from "./shared-rate-limit";

interface Limiter {
  readonly limit: number;
  take(apiKeyId: number): RateLimitDecision | Promise<RateLimitDecision>;
}

// One limiter per process, whichever path (Node server or route handler) the call came by.
const limiters = perDatabase("restApi.rateLimiters", () => ({
  current: null as Limiter | null,
  store: "",
}));

export function limiterFor(db: Database): Limiter {
  const env = serverEnv();
  const limit = env.API_RATE_LIMIT_PER_MINUTE;
  const store = env.API_RATE_LIMIT_STORE ?? (process.env.AWS_LAMBDA_FUNCTION_NAME ? "database" : "memory");
  const holder = limiters.of(db);
  if (!holder.current || holder.current.limit !== limit || holder.store !== store) {
    holder.current =
      store === "database" ? new DatabaseRateLimiter(db, limit) : new SlidingWindowRateLimiter(limit);
    holder.store = store;
  }
  return holder.current;
}

const AUTH_FAILURES = {
  missing: ["missing_api_key", "Send your API key as `Authorization: Bearer <key>`"],
  malformed: ["invalid_api_key", "This is not a ChurnGuard API key (they start with cg_live_)"],
  unknown: ["invalid_api_key", "The API key is not valid"],
  revoked: ["revoked_api_key", "The API key was revoked; ask an admin for a new one"],
} as const;

export interface ApiRefusal {
  status: 401 | 403 | 429;
  code: "missing_api_key" | "invalid_api_key" | "revoked_api_key" | "insufficient_scope" | "rate_limited";
  message: string;
  /** WWW-Authenticate, Retry-After and the X-RateLimit-* headers, as they apply. */
  headers: Record<string, string>;
}

export type ApiAdmission =
  | { ok: true; key: AuthenticatedApiKey; headers: Record<string, string> }
  | { ok: false; key: AuthenticatedApiKey | null; refusal: ApiRefusal };

/** 403 for a key without `scope`, `purpose` finishing "… needed to <purpose>". */
export function scopeRefusal(scope: ApiKeyScope, purpose: string): ApiRefusal {
  return {
    status: 403,
    code: "insufficient_scope",
    message: `This key lacks the ${scope} scope needed to ${purpose}`,
    headers: {},
  };
}

/**
 * Key, then the scope (when given: endpoints whose scope depends on the body check it later with
 * hasScope/scopeRefusal), then the rate limit. The admitted answer carries the X-RateLimit-*
 * headers every later answer should send.
 */
export async function admitApiCall(
  db: Database,
  authorization: string | null | undefined,
  required?: { scope: ApiKeyScope; purpose: string },
): Promise<ApiAdmission> {
  const auth = await authenticateApiKey(db, bearerTokenOf(authorization ?? null));
  if (!auth.ok) {
    const [code, message] = AUTH_FAILURES[auth.reason];
    return {
      ok: false,
      key: null,
      refusal: { status: 401, code, message, headers: { "WWW-Authenticate": 'Bearer realm="churnguard"' } },
    };
  }
  if (required && !hasScope(auth.key, required.scope))
    return { ok: false, key: auth.key, refusal: scopeRefusal(required.scope, required.purpose) };
  const limit = await limiterFor(db).take(auth.key.id);
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(limit.limit),
    "X-RateLimit-Remaining": String(limit.remaining),
    "X-RateLimit-Reset": String(limit.resetSeconds),
  };
  if (!limit.allowed) {
    return {
      ok: false,
      key: auth.key,
      refusal: {
        status: 429,
        code: "rate_limited",
        message: `This key may make ${limit.limit} calls per minute; try again in ${limit.retryAfterSeconds} s`,
        headers: { ...headers, "Retry-After": String(limit.retryAfterSeconds) },
      },
    };
  }
  return { ok: true, key: auth.key, headers };
}
