/**
 * Application settings (the `settings` table): typed, validated with zod on read and write, with
 * defaults when unset. Reads are cached in memory for a few seconds because the predict API reads
 * the risk bands on every call; a write clears the cache of this process at once.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { DEFAULT_CURRENCY, isCurrencyCode } from "@/lib/format/money";
import type { Database } from "../db/client";
import { settings } from "../db/schema";
import { perDatabase } from "../process-wide";
import { type Actor, recordAudit } from "./audit";
import { bumpScoresGeneration } from "./scoring/generation";
import { relevelScores } from "./scoring/relevel";
import { DEFAULT_RISK_BANDS, type RiskBands } from "./scoring/risk";

export interface SettingDefinition<T> {
  key: string;
  schema: z.ZodType<T>;
  defaultValue: () => T;
}

export const riskBandsSchema = z
  .object({
    medium: z
      .number()
      .gt(0, "The medium band must start above 0")
      .lt(1, "The medium band must start below 1"),
    high: z.number().gt(0, "The high band must start above 0").lt(1, "The high band must start below 1"),
  })
  .refine((b) => b.medium < b.high, {
    message: "The high band must start above the medium band",
    path: ["high"],
  });

export const RISK_BANDS_SETTING: SettingDefinition<RiskBands> = {
  key: "risk_bands",
  schema: riskBandsSchema,
  defaultValue: () => ({ ...DEFAULT_RISK_BANDS }),
};

/**
 * Whether anyone may create an account from the sign-up page. Closed by default, as in Grafana
 * (`allow_sign_up = false`) and Metabase (invitations only): the first account on an empty
 * database is always allowed and becomes the admin; after that admins create accounts, or turn
 * this on (audited) to let people sign up as viewers.
 */
export const SIGN_UP_SETTING: SettingDefinition<{ open: boolean }> = {
  key: "sign_up",
  schema: z.object({ open: z.boolean() }),
  defaultValue: () => ({ open: false }),
};

const CACHE_MS = 5_000;
const caches = perDatabase("settings", () => new Map<string, { value: unknown; expiresAt: number }>());
const cacheOf = (db: Database) => caches.of(db);

/**
 * The stored value, or the default when unset or no longer valid (a bad row never breaks a page).
 * `fresh` skips this process's cache, for decisions another process may just have changed.
 */
export async function getSetting<T>(
  db: Database,
  definition: SettingDefinition<T>,
  options: { fresh?: boolean } = {},
): Promise<T> {
  const cache = cacheOf(db);
  const cached = cache.get(definition.key);
  if (!options.fresh && cached && cached.expiresAt > Date.now()) return cached.value as T;
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, definition.key));
  const parsed = row ? definition.schema.safeParse(row.value) : null;
  const value = parsed?.success ? parsed.data : definition.defaultValue();
  cache.set(definition.key, { value, expiresAt: Date.now() + CACHE_MS });
  return value;
}

/** Validates (throws ZodError), stores and audits a setting. */
export async function setSetting<T>(
  db: Database,
  actor: Actor,
  definition: SettingDefinition<T>,
  value: unknown,
): Promise<T> {
  const parsed = definition.schema.parse(value);
  const now = new Date();
  await db
    .insert(settings)
    .values({ key: definition.key, value: parsed, updatedAt: now, updatedById: actor.id })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: parsed, updatedAt: now, updatedById: actor.id },
    });
  cacheOf(db).delete(definition.key);
  await recordAudit(db, actor, {
    action: "settings.update",
    targetType: "setting",
    targetId: definition.key,
    details: { value: parsed },
  });
  return parsed;
}

/** Drops every cached setting (tests that share a process with several databases). */
export function clearSettingsCache(): void {
  caches.reset();
}

export const getRiskBands = (db: Database) => getSetting(db, RISK_BANDS_SETTING);

/**
 * New risk bands, and every stored score re-levelled with them in the same transaction, so lists
 * filtered by level agree with the predict page and the API at once.
 */
export async function setRiskBands(db: Database, actor: Actor, value: unknown): Promise<RiskBands> {
  const bands = await db.transaction(async (tx) => {
    const saved = await setSetting(tx as unknown as Database, actor, RISK_BANDS_SETTING, value);
    await relevelScores(tx as unknown as Database, saved);
    return saved;
  });
  cacheOf(db).delete(RISK_BANDS_SETTING.key);
  bumpScoresGeneration(); // again after the commit: a summary read in between saw old levels
  return bands;
}

// ─── Currency (analytics, campaigns and reports show money in it) ───────────────────────────────

export const currencySchema = z.object({
  code: z
    .string()
    .trim()
    .transform((code) => code.toUpperCase())
    .refine(isCurrencyCode, "Enter a three-letter ISO 4217 currency code, such as USD, EUR or GBP"),
});
export type CurrencySetting = z.infer<typeof currencySchema>;

export const CURRENCY_SETTING: SettingDefinition<CurrencySetting> = {
  key: "currency",
  schema: currencySchema,
  defaultValue: () => ({ code: DEFAULT_CURRENCY }),
};

/** The organisation's ISO 4217 code ("USD" until an admin sets one). */
export const getCurrency = async (db: Database): Promise<string> =>
  (await getSetting(db, CURRENCY_SETTING)).code;

// ─── Data retention (enforced by the nightly clean-up: server/services/data-retention.ts) ───────

const retentionDays = (what: string) =>
  z
    .number()
    .int(`Enter whole days for ${what}`)
    .min(1, `Keep ${what} at least 1 day`)
    .max(3650, `Keep ${what} at most 3,650 days (10 years)`)
    .nullable();

/** Days to keep each kind of generated data; null keeps it until someone deletes it. */
export const dataRetentionSchema = z
  .object({
    scoredFilesDays: retentionDays("scored files"),
    reportsDays: retentionDays("reports"),
    apiLogsDays: retentionDays("API call logs"),
  })
  .strict();
export type DataRetention = z.infer<typeof dataRetentionSchema>;

export const DEFAULT_DATA_RETENTION: DataRetention = {
  scoredFilesDays: 90,
  reportsDays: 365,
  apiLogsDays: 90,
};

export const DATA_RETENTION_SETTING: SettingDefinition<DataRetention> = {
  key: "data_retention",
  schema: dataRetentionSchema,
  defaultValue: () => ({ ...DEFAULT_DATA_RETENTION }),
};
