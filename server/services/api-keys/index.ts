/**
 * API keys for the REST API. A key is `cg_live_` + 43 base64url characters (32 random bytes),
 * shown once when created; the database keeps its SHA-256 and a short prefix to tell keys apart.
 *
 * Scopes (documented in the OpenAPI document and on the API page):
 *   predict        score one customer (`customer_data`)
 *   predict:batch  score up to 1,000 customers per call (`customers`)
 *   datasets:write upload a dataset's next version as CSV (`POST /api/v1/datasets/{id}/versions`)
 *   events:write   send customer events that update features and rescore (`POST /api/v1/events`)
 *   metrics:read   scrape the Prometheus metrics (`GET /api/metrics`)
 *
 * authenticateApiKey sits on the hot path of every API call, so it caches keys by hash for a few
 * seconds and writes lastUsedAt at most once a minute per key, without waiting for the write.
 * A revoke clears this process's cache at once; other instances notice within KEY_CACHE_MS.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gte, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { apiKeys, apiRequests, users } from "../../db/schema";
import { logger } from "../../log";
import { perDatabase } from "../../process-wide";
import { type Actor, recordAudit } from "../audit";

export const API_KEY_SCOPES = [
  "predict",
  "predict:batch",
  "datasets:write",
  "events:write",
  "metrics:read",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_HELP: Record<ApiKeyScope, string> = {
  predict: "Score one customer per call",
  "predict:batch": "Score up to 1,000 customers per call",
  "datasets:write": "Upload a new version of a dataset (POST /api/v1/datasets/{id}/versions)",
  "events:write":
    "Send up to 1,000 customer events per call that update and rescore customers (POST /api/v1/events)",
  "metrics:read": "Read the server's Prometheus metrics (GET /api/metrics)",
};

export const KEY_PREFIX = "cg_live_";
/** Characters of the key kept in clear text: "cg_live_" + 6, enough to tell keys apart in a list. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;
const KEY_PATTERN = /^cg_live_[A-Za-z0-9_-]{43}$/;
const KEY_CACHE_MS = 5_000;
const LAST_USED_WRITE_MS = 60_000;

export const createApiKeyInputSchema = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(80, "Keep the name under 80 characters"),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1, "Choose at least one scope")
    .transform((s) => [...new Set(s)].sort()),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export class ApiKeyNotFoundError extends Error {
  constructor(id: number) {
    super(`API key ${id} does not exist`);
    this.name = "ApiKeyNotFoundError";
  }
}

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function generateSecret(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

export interface CreatedApiKey {
  id: number;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  /** The full key: shown to the person once, never stored. */
  secret: string;
}

export async function createApiKey(
  db: Database,
  actor: Actor,
  input: CreateApiKeyInput,
): Promise<CreatedApiKey> {
  const parsed = createApiKeyInputSchema.parse(input);
  const secret = generateSecret();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        name: parsed.name,
        prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
        keyHash: hashApiKey(secret),
        scopes: parsed.scopes,
        createdById: actor.id,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: row.id,
      details: { name: row.name, prefix: row.prefix, scopes: row.scopes },
    });
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes as ApiKeyScope[],
      createdAt: row.createdAt,
      secret,
    };
  });
}

export interface ApiKeySummary {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Calls in the last 24 hours (from api_requests) and how many of them failed. */
  calls24h: number;
  errors24h: number;
}

/** Every key, newest first, with its use in the last 24 hours; never the secret or its hash. */
export async function listApiKeys(db: Database): Promise<ApiKeySummary[]> {
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  const usage = db
    .select({
      apiKeyId: apiRequests.apiKeyId,
      calls: sql<number>`count(*)::int`.as("calls"),
      errors: sql<number>`count(*) filter (where ${apiRequests.status} >= 400)::int`.as("errors"),
    })
    .from(apiRequests)
    .where(and(gte(apiRequests.createdAt, since), isNotNull(apiRequests.apiKeyId)))
    .groupBy(apiRequests.apiKeyId)
    .as("usage");
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      createdBy: users.email,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      calls24h: usage.calls,
      errors24h: usage.errors,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .leftJoin(usage, eq(usage.apiKeyId, apiKeys.id))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map((r) => ({ ...r, calls24h: r.calls24h ?? 0, errors24h: r.errors24h ?? 0 }));
}

export interface RecentApiError {
  id: number;
  at: Date;
  apiKeyId: number | null;
  keyName: string | null;
  endpoint: string;
  status: number;
  errorCode: string | null;
  datasetId: number | null;
}

/** The latest failed calls (status ≥ 400), for the admin page: codes only, never request bodies. */
export async function listRecentApiErrors(db: Database, limit = 10): Promise<RecentApiError[]> {
  return db
    .select({
      id: apiRequests.id,
      at: apiRequests.createdAt,
      apiKeyId: apiRequests.apiKeyId,
      keyName: apiKeys.name,
      endpoint: apiRequests.endpoint,
      status: apiRequests.status,
      errorCode: apiRequests.errorCode,
      datasetId: apiRequests.datasetId,
    })
    .from(apiRequests)
    .leftJoin(apiKeys, eq(apiKeys.id, apiRequests.apiKeyId))
    .where(gte(apiRequests.status, 400))
    .orderBy(desc(apiRequests.id))
    .limit(limit);
}

/** Revokes a key (idempotent: revoking twice keeps the first time). */
export async function revokeApiKey(
  db: Database,
  actor: Actor,
  id: number,
): Promise<ApiKeySummary["revokedAt"]> {
  const revokedAt = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
    if (!row) throw new ApiKeyNotFoundError(id);
    if (row.revokedAt) return row.revokedAt;
    const [updated] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, id))
      .returning({ revokedAt: apiKeys.revokedAt });
    await recordAudit(tx, actor, {
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: id,
      details: { name: row.name, prefix: row.prefix },
    });
    return updated.revokedAt;
  });
  keyCacheOf(db).clear();
  return revokedAt;
}

// ─── Authentication (hot path) ──────────────────────────────────────────────────────────────────

export interface AuthenticatedApiKey {
  id: number;
  name: string;
  scopes: readonly string[];
}

export type ApiKeyAuthResult =
  | { ok: true; key: AuthenticatedApiKey }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked" };

interface CachedKey {
  key: AuthenticatedApiKey;
  keyHash: string;
  revoked: boolean;
  expiresAt: number;
}

// Process-wide: a revoke through tRPC must clear the cache the REST API reads (another bundle).
const keyCaches = perDatabase("apiKeys.cache", () => new Map<string, CachedKey>());
const lastUsedWrites = perDatabase("apiKeys.lastUsedWrites", () => new Map<number, number>());
const keyCacheOf = (db: Database) => keyCaches.of(db);

/** The key from an `Authorization: Bearer <key>` header value. */
export function bearerTokenOf(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Finds the key by the SHA-256 of the presented secret. Lookup by hash (not by secret) means
 * the database comparison's timing says nothing about the secret; the final comparison of the
 * hashes is constant-time anyway. Only found keys are cached, so random guesses cannot fill memory.
 */
export async function authenticateApiKey(db: Database, secret: string | null): Promise<ApiKeyAuthResult> {
  if (!secret) return { ok: false, reason: "missing" };
  if (!KEY_PATTERN.test(secret)) return { ok: false, reason: "malformed" };
  const keyHash = hashApiKey(secret);
  const cache = keyCacheOf(db);
  const now = Date.now();
  let entry = cache.get(keyHash);
  if (!entry || entry.expiresAt <= now) {
    const [row] = await db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        scopes: apiKeys.scopes,
        keyHash: apiKeys.keyHash,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, keyHash));
    if (!row) {
      cache.delete(keyHash);
      return { ok: false, reason: "unknown" };
    }
    entry = {
      key: { id: row.id, name: row.name, scopes: Object.freeze([...row.scopes]) },
      keyHash: row.keyHash,
      revoked: row.revokedAt !== null,
      expiresAt: now + KEY_CACHE_MS,
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(keyHash, entry);
  }
  if (!timingSafeEqual(Buffer.from(entry.keyHash, "hex"), Buffer.from(keyHash, "hex")))
    return { ok: false, reason: "unknown" };
  if (entry.revoked) return { ok: false, reason: "revoked" };
  touchLastUsed(db, entry.key.id, now);
  return { ok: true, key: entry.key };
}

/** At most one write per key per minute, not awaited: the caller's latency never includes it. */
function touchLastUsed(db: Database, keyId: number, now: number): void {
  const writes = lastUsedWrites.of(db);
  const last = writes.get(keyId);
  if (last !== undefined && now - last < LAST_USED_WRITE_MS) return;
  writes.set(keyId, now);
  db.update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiKeys.id, keyId))
    .then(
      () => {},
      (error: unknown) => logger("api").error({ err: error, keyId }, "could not record lastUsedAt of key"),
    );
}

export function hasScope(key: AuthenticatedApiKey, scope: ApiKeyScope): boolean {
  return key.scopes.includes(scope);
}
