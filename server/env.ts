import path from "node:path";
import { z } from "zod";
import { newPasswordSchema, PASSWORD_MIN_LENGTH } from "../lib/validation/account";
import { parseTrustedProxies } from "./auth/trusted-proxies";

/**
 * Every environment variable the server reads, validated once. Each is optional: with none set
 * the app runs on its embedded defaults (PGlite under DATA_DIR, local files, SSE, in-process jobs).
 */
const optionalUrl = z
  .url()
  .optional()
  .or(z.literal("").transform(() => undefined));
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a postgres:// or postgresql:// connection string",
    }),
  DATA_DIR: z.string().min(1).default(".data"),
  AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: "must be at least 32 characters (generate one with: openssl rand -base64 32)",
  }),
  AUTH_URL: optionalUrl,
  DEMO_ADMIN_EMAIL: z.email().default("admin@churnguard.local"),
  /** Also refused at start when it is one of the most common passwords (services/passwords.ts). */
  DEMO_ADMIN_PASSWORD: optionalString.refine(
    (v) => v === undefined || newPasswordSchema.safeParse(v).success,
    { message: `must be at least ${PASSWORD_MIN_LENGTH} characters and not only spaces` },
  ),
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  AUTH_MAX_FAILED_SIGN_INS: z.coerce.number().int().min(1).default(5),
  AUTH_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  /**
   * Proxies whose X-Forwarded-For entries are believed: a hop count or addresses/CIDR ranges
   * (server/auth/trusted-proxies.ts). Unset: the socket address (CloudFront's viewer address on
   * Lambda), so a client-sent X-Forwarded-For is ignored.
   */
  AUTH_TRUSTED_PROXIES: optionalString.superRefine((value, context) => {
    try {
      parseTrustedProxies(value);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
    }
  }),
  AUTH_COGNITO_ID: optionalString,
  AUTH_COGNITO_SECRET: optionalString,
  AUTH_COGNITO_ISSUER: optionalUrl,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),

  // Files: S3 when S3_BUCKET is set, else a folder under DATA_DIR.
  S3_BUCKET: optionalString,
  S3_REGION: optionalString,
  /** For S3-compatible stores (MinIO); unset for AWS. */
  S3_ENDPOINT: optionalUrl,
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),

  // Realtime: Pusher when PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET are set, else Server-Sent Events.
  PUSHER_APP_ID: optionalString,
  PUSHER_KEY: optionalString,
  PUSHER_SECRET: optionalString,
  PUSHER_CLUSTER: optionalString,
  /** Self-hosted Pusher-compatible server (soketi); unset for Pusher's cloud. */
  PUSHER_HOST: optionalString,
  PUSHER_PORT: z.coerce.number().int().positive().optional(),
  PUSHER_USE_TLS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),

  // Durable jobs: Inngest when INNGEST_EVENT_KEY (+ INNGEST_SIGNING_KEY) or INNGEST_DEV=1 is set,
  // else the embedded runner in the server process.
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: optionalString,
  /** Attempts per step before a job fails (embedded runner and Inngest). */
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /**
   * Worker threads for training's CPU-heavy steps (fit + CV, importance, scoring); 0 = on the
   * main thread. Unset: one per core, at most 2. Read by server/services/training/compute-pool.ts.
   */
  TRAINING_WORKER_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  /**
   * Longest one training computation may run (a model's fit and cross-validation, its
   * explanations, a block of scores) before it is stopped and its run fails with a message.
   */
  TRAINING_STEP_MAX_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(15),

  /** REST predict API: calls per API key per minute (sliding window). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * Where those calls are counted: "memory" (per server process) or "database" (shared by every
   * instance). Unset: "database" on Lambda (AWS_LAMBDA_FUNCTION_NAME is set there), else "memory".
   */
  API_RATE_LIMIT_STORE: z.enum(["memory", "database"]).optional(),
});

export type ServerEnv = z.infer<typeof envSchema> & { dataDir: string };

let cached: ServerEnv | undefined;

/** Parses process.env once; a bad value stops the server with a message naming the variable. */
export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  cached = { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetServerEnvCache(): void {
  cached = undefined;
}

export function usesInngest(): boolean {
  const env = serverEnv();
  return Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV);
}

export function usesPusher(): boolean {
  const env = serverEnv();
  return Boolean(env.PUSHER_APP_ID && env.PUSHER_KEY && env.PUSHER_SECRET);
}

export function isEmbeddedDatabase(): boolean {
  return serverEnv().DATABASE_URL === undefined;
}
