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

const envSchema = z
  .object({
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
    // server/log reads it from process.env itself (the logger exists before this check runs); listed
    // here so a misspelt level is reported at start.
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),

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

    /**
     * "1": retraining webhooks may call private, loopback and link-local addresses and plain http
     * (local use, tests). Unset: refused (server/services/retraining/webhook-guard.ts).
     */
    CHURNGUARD_WEBHOOK_ALLOW_PRIVATE: z
      .enum(["", "0", "1", "true", "false"])
      .default("")
      .transform((v) => v === "1" || v === "true"),
    /** Outgoing e-mail (set-password links, failed retraining notices): smtp(s)://user:pass@host:port. */
    SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v), {
      message: "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587",
    }),
    /** The From address of those e-mails, e.g. "ChurnGuard <churnguard@example.com>". Required with SMTP_URL. */
    MAIL_FROM: optionalString,

    /** REST predict API: calls per API key per minute (sliding window). */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /**
     * Where those calls are counted: "memory" (per server process) or "database" (shared by every
     * instance). Unset: "database" on Lambda (AWS_LAMBDA_FUNCTION_NAME is set there), else "memory".
     */
    API_RATE_LIMIT_STORE: z.enum(["memory", "database"]).optional(),
  })
  .superRefine((env, context) => {
    // With only the event key, events reach Inngest but Inngest cannot call /api/inngest (it signs
    // every request with the signing key): runs stay "queued" forever and block their dataset.
    // The dev server (INNGEST_DEV) needs neither key.
    if (env.SMTP_URL && !env.MAIL_FROM) {
      context.addIssue({
        code: "custom",
        path: ["MAIL_FROM"],
        message: "is required when SMTP_URL is set: the address e-mails are sent from",
      });
    }
    if (env.INNGEST_DEV) return;
    const pairs = [
      ["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"],
      ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"],
    ] as const;
    for (const [present, missing] of pairs) {
      if (env[present] && !env[missing]) {
        context.addIssue({
          code: "custom",
          path: [missing],
          message: `is required when ${present} is set: Inngest needs both keys (or neither, for the embedded job runner; INNGEST_DEV=1 for a local dev server)`,
        });
      }
    }
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
  return Boolean((env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY) || env.INNGEST_DEV);
}

export function usesPusher(): boolean {
  const env = serverEnv();
  return Boolean(env.PUSHER_APP_ID && env.PUSHER_KEY && env.PUSHER_SECRET);
}

export function isEmbeddedDatabase(): boolean {
  return serverEnv().DATABASE_URL === undefined;
}

// ─── Serverless (AWS Lambda) ─────────────────────────────────────────────────────────────────

/** True inside AWS Lambda (the runtime always sets AWS_LAMBDA_FUNCTION_NAME). */
export function isOnLambda(raw: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return Boolean(raw.AWS_LAMBDA_FUNCTION_NAME);
}

/**
 * What the embedded defaults cannot do on Lambda, one line per problem (empty when the
 * configuration can run there). Lambda freezes the process between responses, so the embedded job
 * runner stalls mid-step and its leases expire; OpenNext's handler does not stream, so an
 * EventSource holds an instance for nothing, and an event published on one instance never reaches a
 * browser connected to another; the file system is read-only and per instance, so PGlite, local
 * files and a generated session secret would be lost or refused.
 */
export function lambdaConfigurationProblems(
  env: Pick<
    ServerEnv,
    | "DATABASE_URL"
    | "S3_BUCKET"
    | "AUTH_SECRET"
    | "INNGEST_EVENT_KEY"
    | "INNGEST_SIGNING_KEY"
    | "INNGEST_DEV"
    | "PUSHER_APP_ID"
    | "PUSHER_KEY"
    | "PUSHER_SECRET"
  >,
): string[] {
  const problems: string[] = [];
  const missing = (names: readonly (keyof typeof env)[]) => names.filter((name) => !env[name]);
  const inngest = missing(["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"]);
  if (inngest.length > 0 && !env.INNGEST_DEV) {
    problems.push(
      `durable jobs: the embedded job runner cannot run on Lambda (the process is frozen between requests, so a step stalls and its lease expires); set ${inngest.join(" and ")} to run jobs on Inngest`,
    );
  }
  const pusher = missing(["PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET"]);
  if (pusher.length > 0) {
    problems.push(
      `live updates: Server-Sent Events cannot be served from Lambda (responses are not streamed and instances share no events); set ${pusher.join(", ")} to use Pusher`,
    );
  }
  if (!env.DATABASE_URL) {
    problems.push(
      "database: set DATABASE_URL (the embedded PGlite database cannot live on Lambda's read-only, per-instance disk)",
    );
  }
  if (!env.S3_BUCKET) {
    problems.push("files: set S3_BUCKET (a local folder on Lambda is read-only and per instance)");
  }
  if (!env.AUTH_SECRET) {
    problems.push(
      "sessions: set AUTH_SECRET (a generated secret cannot be kept on Lambda, and every instance needs the same one)",
    );
  }
  return problems;
}

/**
 * Refuses to start on Lambda with a configuration that would fall back to an embedded default;
 * a no-op everywhere else. Called first thing at server start (server/startup.ts).
 */
export function assertDeployableConfiguration(
  raw: Readonly<Record<string, string | undefined>> = process.env,
): void {
  if (!isOnLambda(raw)) return;
  const problems = lambdaConfigurationProblems(serverEnv());
  if (problems.length === 0) return;
  throw new Error(
    `ChurnGuard cannot start on AWS Lambda (${raw.AWS_LAMBDA_FUNCTION_NAME}) with this configuration:\n${problems
      .map((p) => `  - ${p}`)
      .join("\n")}\nsst.config.ts links these secrets; see README "Deploy to AWS".`,
  );
}
