import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const ROLES = ["admin", "manager", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const roleEnum = pgEnum("role", ROLES);

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    /** Always stored lower-cased; the unique index is on this column. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    role: roleEnum("role").notNull().default("viewer"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true, mode: "date" }),
    /**
     * Every session cookie carries the version it was issued under and is refused once this moves
     * on: sign-out, a password change or reset, a role change and deactivation each add one, which
     * ends every session of the user at once (a JWT cannot be recalled otherwise).
     */
    sessionVersion: integer("session_version").notNull().default(1),
    /** Set while an admin has deactivated the account: no sign-in, no session. */
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true, mode: "date" }),
    /** SHA-256 of the one-time set-password link's token; the token itself is shown once. */
    passwordLinkHash: text("password_link_hash"),
    passwordLinkExpiresAt: timestamp("password_link_expires_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_password_link_hash_key").on(t.passwordLinkHash),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the full key; the key itself is shown once and never stored. */
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** Who acted, as text, so entries stay readable after the user is deleted (email, "api-key:3", "system"). */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_action_idx").on(t.action)],
);

/** Failed sign-in counters, keyed by "email:<address>" or "ip:<address>", shared by every server instance. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
});

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedById: integer("updated_by_id").references(() => users.id, { onDelete: "set null" }),
});

// ─── Datasets ───────────────────────────────────────────────────────────────────────────────────

export const datasets = pgTable(
  "datasets",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("datasets_name_key").on(t.name)],
);

/** One imported file. Re-uploading under the same dataset name creates the next version. */
export const datasetVersions = pgTable(
  "dataset_versions",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    fileName: text("file_name").notNull(),
    /** Key of the raw file in the storage adapter (local folder or S3). */
    storageKey: text("storage_key").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    rowCount: integer("row_count").notNull(),
    columnCount: integer("column_count").notNull(),
    /** Positive-class share of labelled rows (0..1); null when the file has no target values. */
    positiveRate: real("positive_rate"),
    /** DatasetSchema from lib/ml/data: column types, roles, target, identifier, exclusions. */
    schema: jsonb("schema").$type<unknown>().notNull(),
    /** Per-column statistics and churn rate by category / bin, for the profile page. */
    profile: jsonb("profile").$type<unknown>().notNull(),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dataset_versions_dataset_version_key").on(t.datasetId, t.version)],
);

/**
 * Customers of one dataset version. Column values live in `features` as JSON: CSV column names are
 * data, never SQL identifiers.
 */
export const customers = pgTable(
  "customers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    datasetVersionId: integer("dataset_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    /** 1-based data row in the file (header excluded). */
    rowNumber: integer("row_number").notNull(),
    externalId: text("external_id").notNull(),
    features: jsonb("features").$type<Record<string, string | number | null>>().notNull(),
    /** 1 = churned, 0 = stayed, null = unknown. */
    label: smallint("label"),
    /** Monthly revenue of the customer when a charges column is known; drives revenue at risk. */
    monthlyValue: real("monthly_value"),
  },
  (t) => [
    uniqueIndex("customers_version_row_key").on(t.datasetVersionId, t.rowNumber),
    index("customers_version_external_idx").on(t.datasetVersionId, t.externalId),
  ],
);

// ─── Durable jobs (embedded runner; Inngest keeps its own state) ────────────────────────────────

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const jobStatusEnum = pgEnum("job_status", JOB_STATUSES);

export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    /** Durable function id, e.g. "train-models". */
    functionId: text("function_id").notNull(),
    event: jsonb("event").$type<{ name: string; data: Record<string, unknown> }>().notNull(),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** Attempts of the step currently failing; reset when a step succeeds. */
    attempts: integer("attempts").notNull().default(0),
    runAfter: timestamp("run_after", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** A worker holds the job until this time and renews it while working; expired = crashed. */
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    lockedBy: text("locked_by"),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("jobs_status_run_after_idx").on(t.status, t.runAfter)],
);

/** Results of finished steps: a resumed job skips these and reuses the stored result. */
export const jobSteps = pgTable(
  "job_steps",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    stepId: text("step_id").notNull(),
    result: jsonb("result").$type<unknown>(),
    durationMs: integer("duration_ms").notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.stepId] })],
);

// ─── Training runs, models, scores ──────────────────────────────────────────────────────────────

export const trainingRuns = pgTable(
  "training_runs",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    datasetVersionId: integer("dataset_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** algorithms, balancing, folds, seed, threshold strategy. */
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    /** 0..1 */
    progress: real("progress").notNull().default(0),
    currentStep: text("current_step"),
    error: text("error"),
    trigger: text("trigger").notNull().default("manual"),
    jobId: text("job_id"),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    // One active run per dataset: a second start is refused by the database itself.
    uniqueIndex("training_runs_one_active_per_dataset")
      .on(t.datasetId)
      .where(sql`${t.status} in ('queued', 'running')`),
    index("training_runs_dataset_idx").on(t.datasetId, t.createdAt),
  ],
);

export const MODEL_STATUSES = ["candidate", "champion", "archived"] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];
export const modelStatusEnum = pgEnum("model_status", MODEL_STATUSES);

export const models = pgTable(
  "models",
  {
    id: serial("id").primaryKey(),
    runId: integer("run_id")
      .notNull()
      .references(() => trainingRuns.id, { onDelete: "cascade" }),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    datasetVersionId: integer("dataset_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    algorithm: text("algorithm").notNull(),
    /** Per dataset, increasing: "model v7". */
    version: integer("version").notNull(),
    status: modelStatusEnum("status").notNull().default("candidate"),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    /** Cross-validation and held-out metrics (see lib/ml/evaluate). */
    metrics: jsonb("metrics").$type<Record<string, unknown>>().notNull(),
    /** ROC, PR, calibration and lift points. */
    curves: jsonb("curves").$type<Record<string, unknown>>().notNull(),
    /** Mean |SHAP| per original column, largest first. */
    importance: jsonb("importance").$type<{ column: string; value: number }[]>().notNull(),
    threshold: real("threshold").notNull(),
    // Denormalised for sorting and filtering the leaderboard in SQL.
    cvAuc: real("cv_auc").notNull(),
    cvAucStd: real("cv_auc_std").notNull(),
    f1Churn: real("f1_churn").notNull(),
    f1Weighted: real("f1_weighted").notNull(),
    brier: real("brier").notNull(),
    fitSeconds: real("fit_seconds").notNull(),
    /** The serialised ChurnModel (pipeline + classifier), in the storage adapter. */
    artifactKey: text("artifact_key").notNull(),
    artifactSha256: text("artifact_sha256").notNull(),
    trainedById: integer("trained_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    promotedAt: timestamp("promoted_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("models_run_algorithm_key").on(t.runId, t.algorithm),
    uniqueIndex("models_dataset_version_key").on(t.datasetId, t.version),
    uniqueIndex("models_one_champion_per_dataset").on(t.datasetId).where(sql`${t.status} = 'champion'`),
  ],
);

/**
 * Positions of scores.drivers mirrored into scores.driver_columns / driver_points (scoring stores
 * STORED_DRIVER_COUNT of them; a test checks it fits). Constant SQL text, no data in it.
 */
export const GENERATED_DRIVER_POSITIONS = 5;
function driverPositions(element: (i: number) => string, type: string) {
  const items = Array.from({ length: GENERATED_DRIVER_POSITIONS }, (_, i) => element(i)).join(", ");
  return sql.raw(`array[${items}]::${type}[]`);
}

/** Latest risk per customer and model; history across model versions is the set of rows. */
export const scores = pgTable(
  "scores",
  {
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    modelId: integer("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    riskScore: real("risk_score").notNull(),
    riskLevel: text("risk_level").notNull(),
    /** Top drivers: [{ column, value, contribution (probability points) }]. */
    drivers: jsonb("drivers")
      .$type<{ column: string; value: string | number | null; contribution: number }[]>()
      .notNull(),
    scoredAt: timestamp("scored_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /**
     * The drivers' columns and contributions by position, as narrow arrays the database keeps in
     * step with `drivers` on every write (generated): analytics groups and sums them without
     * parsing the jsonb of every customer (issue 12, 100,000 customers in ≤ 200 ms).
     */
    driverColumns: text("driver_columns")
      .array()
      .generatedAlwaysAs(driverPositions((i) => `"drivers" -> ${i} ->> 'column'`, "text")),
    driverPoints: doublePrecision("driver_points")
      .array()
      .generatedAlwaysAs(driverPositions((i) => `("drivers" -> ${i} ->> 'contribution')::float8`, "float8")),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.modelId] }),
    index("scores_model_risk_idx").on(t.modelId, t.riskScore),
    // Customers list: filter by level, sort by risk, at 100k customers per model.
    index("scores_model_level_risk_idx").on(t.modelId, t.riskLevel, t.riskScore),
  ],
);

// ─── REST API calls and batch scoring of uploaded files ─────────────────────────────────────────

/**
 * One row per REST predict call: who (key), what (dataset, model version), how it went (status,
 * latency, customers in the call). Never the request body: customer data stays out of the log.
 */
export const apiRequests = pgTable(
  "api_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    endpoint: text("endpoint").notNull(),
    datasetId: integer("dataset_id"),
    modelId: integer("model_id"),
    modelVersion: integer("model_version"),
    status: smallint("status").notNull(),
    /** Machine-readable error code of a failed call ("unknown_field", "rate_limited", ...). */
    errorCode: text("error_code"),
    customers: integer("customers").notNull().default(0),
    latencyMs: real("latency_ms").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("api_requests_created_idx").on(t.createdAt),
    index("api_requests_key_created_idx").on(t.apiKeyId, t.createdAt),
  ],
);

/**
 * REST API calls per key and minute, for deployments with several server instances (Lambda), where
 * each instance's own counter would let a key make instances × the limit. Rows older than the
 * previous minute are deleted by the daily prune job.
 */
export const apiRateLimits = pgTable(
  "api_rate_limits",
  {
    apiKeyId: integer("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    calls: integer("calls").notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.windowStart] })],
);

/** A CSV of customers (without the target) scored with a dataset's champion as a durable job. */
export const scoreBatches = pgTable(
  "score_batches",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** The champion at the time the batch was started; every row is scored by this model. */
    modelId: integer("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    /** The uploaded file in the storage adapter, and its SHA-256. */
    storageKey: text("storage_key").notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    rowCount: integer("row_count").notNull(),
    rowsScored: integer("rows_scored").notNull().default(0),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** Counts per risk level and mean risk, when finished. */
    summary: jsonb("summary").$type<Record<string, unknown>>(),
    error: text("error"),
    jobId: text("job_id"),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("score_batches_dataset_idx").on(t.datasetId, t.createdAt)],
);

/** One scored row of a batch (row numbers are 1-based data rows of the uploaded file). */
export const batchScores = pgTable(
  "batch_scores",
  {
    batchId: integer("batch_id")
      .notNull()
      .references(() => scoreBatches.id, { onDelete: "cascade" }),
    rowNumber: integer("row_number").notNull(),
    externalId: text("external_id"),
    riskScore: real("risk_score").notNull(),
    riskLevel: text("risk_level").notNull(),
    drivers: jsonb("drivers")
      .$type<{ column: string; value: string | number | null; contribution: number }[]>()
      .notNull(),
    /** The recommended retention action (playbook), or null when none applies. */
    action: text("action"),
    /** Fields imputed or unreadable for this row. */
    warnings: jsonb("warnings").$type<{ field: string; code: string }[]>(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.rowNumber] })],
);

// ─── Campaign plans and reports (analytics) ─────────────────────────────────────────────────────

/**
 * A saved retention plan: the inputs a manager chose and the numbers they saw, with its frozen
 * target list in campaign_targets (rows, so outcomes can later be attached per target).
 */
export const campaigns = pgTable(
  "campaigns",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** The customers' version and the champion whose scores ranked them, at the time of saving. */
    datasetVersionId: integer("dataset_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    modelId: integer("model_id").references(() => models.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    /** Offer cost, acceptance rate, value source, budget, segment filter, ranking (see campaigns service). */
    inputs: jsonb("inputs").$type<Record<string, unknown>>().notNull(),
    /** Expected cost, saved revenue, net profit and their calibration range, as shown when saved. */
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull(),
    targetCount: integer("target_count").notNull(),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("campaigns_dataset_created_idx").on(t.datasetId, t.createdAt)],
);

/** One customer of a saved plan, frozen as it was ranked (risk, value, reason, action). */
export const campaignTargets = pgTable(
  "campaign_targets",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** 1 = contacted first. */
    rank: integer("rank").notNull(),
    externalId: text("external_id").notNull(),
    riskScore: real("risk_score").notNull(),
    riskLevel: text("risk_level").notNull(),
    /** The value the plan used for this customer (currency), and risk × value × acceptance. */
    customerValue: real("customer_value").notNull(),
    expectedSavedValue: real("expected_saved_value").notNull(),
    drivers: jsonb("drivers")
      .$type<{ column: string; value: string | number | null; contribution: number }[]>()
      .notNull(),
    reason: text("reason").notNull(),
    action: text("action"),
  },
  (t) => [
    uniqueIndex("campaign_targets_campaign_rank_key").on(t.campaignId, t.rank),
    uniqueIndex("campaign_targets_campaign_customer_key").on(t.campaignId, t.customerId),
  ],
);

export const REPORT_KINDS = ["executive_pdf"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A generated report file (the PDF in the storage adapter), made by the generate-report job. */
export const reports = pgTable(
  "reports",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    campaignId: integer("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    kind: text("kind").notNull().default("executive_pdf"),
    title: text("title").notNull(),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** 0..1 */
    progress: real("progress").notNull().default(0),
    storageKey: text("storage_key"),
    sizeBytes: integer("size_bytes"),
    pageCount: integer("page_count"),
    error: text("error"),
    jobId: text("job_id"),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("reports_created_idx").on(t.createdAt)],
);

// ─── Scheduled retraining (wave 3): schedules per dataset, challenger vs champion decisions ─────

/**
 * A dataset's retraining schedule (at most one). `nextRunAt` is the next slot the scheduler will
 * act on; a slot missed while the server was down runs once, then `nextRunAt` moves past now.
 */
export const retrainingSchedules = pgTable("retraining_schedules", {
  datasetId: integer("dataset_id")
    .primaryKey()
    .references(() => datasets.id, { onDelete: "cascade" }),
  isEnabled: boolean("is_enabled").notNull().default(false),
  /** 5-field cron expression, read in `timeZone`. */
  cron: text("cron").notNull(),
  timeZone: text("time_zone").notNull().default("UTC"),
  /** manual | automatic */
  policy: text("policy").notNull().default("manual"),
  /** auc | profit */
  metric: text("metric").notNull().default("auc"),
  margin: real("margin").notNull().default(0.005),
  calibrationBound: real("calibration_bound").notNull().default(0.005),
  /** Optional: failed runs are POSTed here, signed with HMAC-SHA256 of `webhookSecret`. */
  webhookUrl: text("webhook_url"),
  webhookSecret: text("webhook_secret"),
  nextRunAt: timestamp("next_run_at", { withTimezone: true, mode: "date" }),
  lastRunAt: timestamp("last_run_at", { withTimezone: true, mode: "date" }),
  lastRunId: integer("last_run_id").references(() => trainingRuns.id, { onDelete: "set null" }),
  /** started | skipped | failed | succeeded */
  lastOutcome: text("last_outcome"),
  lastError: text("last_error"),
  /** A failed scheduled run shows a banner to managers until one of them dismisses it. */
  failureNoticeAt: timestamp("failure_notice_at", { withTimezone: true, mode: "date" }),
  updatedById: integer("updated_by_id").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const DECISION_OUTCOMES = ["pending", "promoted", "kept", "rejected"] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** One challenger-vs-champion decision: both models' figures on the same held-out rows, and who decided. */
export const modelDecisions = pgTable(
  "model_decisions",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    runId: integer("run_id")
      .notNull()
      .references(() => trainingRuns.id, { onDelete: "cascade" }),
    challengerModelId: integer("challenger_model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    championModelId: integer("champion_model_id").references(() => models.id, { onDelete: "set null" }),
    /** { auc, brier, profit } of each model on the new version's held-out rows. */
    challengerFigures: jsonb("challenger_figures").$type<Record<string, unknown>>().notNull(),
    championFigures: jsonb("champion_figures").$type<Record<string, unknown> | null>(),
    heldOutRows: integer("held_out_rows").notNull(),
    /** The rule as it was applied: policy, metric, margin, calibration bound. */
    rule: jsonb("rule").$type<Record<string, unknown>>().notNull(),
    ruleReasons: jsonb("rule_reasons").$type<string[]>().notNull(),
    outcome: text("outcome").notNull().default("pending"),
    /** "rule" for automatic decisions, else the person's e-mail. */
    decidedBy: text("decided_by"),
    decidedById: integer("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason"),
    createdAt: createdAt(),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("model_decisions_run_key").on(t.runId),
    index("model_decisions_dataset_idx").on(t.datasetId, t.createdAt),
  ],
);

// ─── Drift monitoring ───────────────────────────────────────────────────────────────────────────

export const DRIFT_SOURCE_KINDS = ["version", "batch"] as const;
export type DriftSourceKind = (typeof DRIFT_SOURCE_KINDS)[number];

/**
 * One comparison of a champion's training data (its dataset version) with newer data: a later
 * version of the dataset or a scored file. One row per champion and compared data (a new check
 * replaces the result), so the Drift page reads finished results instead of computing them.
 */
export const driftReports = pgTable(
  "drift_reports",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** The champion whose training data is the baseline (and whose importance weights the columns). */
    modelId: integer("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    baselineVersionId: integer("baseline_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    sourceKind: text("source_kind").$type<DriftSourceKind>().notNull(),
    /** The compared version (source "version") or scored file (source "batch"); exactly one is set. */
    datasetVersionId: integer("dataset_version_id").references(() => datasetVersions.id, {
      onDelete: "cascade",
    }),
    batchId: integer("batch_id").references(() => scoreBatches.id, { onDelete: "cascade" }),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** "upload", "batch" (started automatically) or "manual" (a manager's "check now"). */
    trigger: text("trigger").notNull().default("manual"),
    /** stable | moderate | significant, when finished. */
    level: text("level"),
    weightedPsi: real("weighted_psi"),
    riskPsi: real("risk_psi"),
    rows: integer("rows"),
    /** The DriftSummary of lib/drift (columns with PSI, importance and before/after bins; verdict). */
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    jobId: text("job_id"),
    /** When the audit entry for an important column past PSI 0.2 was written (once per report). */
    alertedAt: timestamp("alerted_at", { withTimezone: true, mode: "date" }),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("drift_reports_model_version_key")
      .on(t.modelId, t.datasetVersionId)
      .where(sql`${t.datasetVersionId} is not null`),
    uniqueIndex("drift_reports_model_batch_key")
      .on(t.modelId, t.batchId)
      .where(sql`${t.batchId} is not null`),
    index("drift_reports_dataset_idx").on(t.datasetId, t.createdAt),
    check(
      "drift_reports_one_source",
      sql`(${t.sourceKind} = 'version' and ${t.datasetVersionId} is not null and ${t.batchId} is null) or (${t.sourceKind} = 'batch' and ${t.batchId} is not null and ${t.datasetVersionId} is null)`,
    ),
  ],
);

// ─── Live customer events (issue 14: POST /api/v1/events, demo generator, customer timeline) ────

/**
 * A customer's features as events left them. The upload row (`customers.features`) stays as the
 * file had it, so training and drift keep reading the data as uploaded; a customer without a row
 * here is still as uploaded.
 */
export const customerCurrentFeatures = pgTable("customer_current_features", {
  customerId: bigint("customer_id", { mode: "number" })
    .primaryKey()
    .references(() => customers.id, { onDelete: "cascade" }),
  features: jsonb("features").$type<Record<string, string | number | null>>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** One event applied to a customer: what changed, and the champion's risk before and after it. */
export const customerEvents = pgTable(
  "customer_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** The sender's word for it ("plan_change", "support_ticket"…): shown, never interpreted. */
    type: text("type").notNull(),
    /** When it happened, as the sender says; receivedAt is when ChurnGuard applied it. */
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    changes: jsonb("changes").$type<Record<string, string | number | null>>().notNull(),
    /** The changed columns' values just before this event. */
    previous: jsonb("previous").$type<Record<string, string | number | null>>().notNull(),
    modelId: integer("model_id").references(() => models.id, { onDelete: "set null" }),
    riskBefore: real("risk_before"),
    riskAfter: real("risk_after"),
    levelBefore: text("level_before"),
    levelAfter: text("level_after"),
    /** "api" (a key's call) or "demo" (the demo generator). */
    source: text("source").notNull(),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("customer_events_customer_idx").on(t.customerId, t.id),
    index("customer_events_dataset_idx").on(t.datasetId, t.id),
  ],
);

// ─── Retention actions and outcomes (issue 14) ──────────────────────────────────────────────────

export const OUTCOMES = ["pending", "contacted", "accepted", "retained", "churned"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_SOURCES = ["manual", "csv", "dataset", "event"] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

/** One assignment of a saved campaign's targets: the hold-out share, the seed of its draw, the window. */
export const retentionAssignments = pgTable("retention_assignments", {
  id: serial("id").primaryKey(),
  campaignId: integer("campaign_id")
    .notNull()
    .unique("retention_assignments_campaign_key")
    .references(() => campaigns.id, { onDelete: "cascade" }),
  holdoutShare: real("holdout_share").notNull(),
  /** The seed of the stratified draw: the same seed over the same targets gives the same group. */
  seed: integer("seed").notNull(),
  /** A customer still active this many days after assignment counts as retained. */
  windowDays: integer("window_days").notNull(),
  treatedCount: integer("treated_count").notNull(),
  holdoutCount: integer("holdout_count").notNull(),
  createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** One targeted customer: the action (none for the hold-out), its owner and due date, the outcome. */
export const retentionActions = pgTable(
  "retention_actions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => retentionAssignments.id, { onDelete: "cascade" }),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    customerId: bigint("customer_id", { mode: "number" })
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    isHoldout: boolean("is_holdout").notNull(),
    /** The recommended action (editable); for the hold-out, the action it would have got (not given). */
    action: text("action"),
    ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
    dueDate: timestamp("due_date", { withTimezone: true, mode: "date" }),
    riskScore: real("risk_score").notNull(),
    /** 1 = the tenth of the targets with the highest risk. */
    riskDecile: smallint("risk_decile").notNull(),
    customerValue: real("customer_value").notNull(),
    outcome: text("outcome").$type<Outcome>().notNull().default("pending"),
    outcomeAt: timestamp("outcome_at", { withTimezone: true, mode: "date" }),
    outcomeSource: text("outcome_source").$type<OutcomeSource>(),
    outcomeById: integer("outcome_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("retention_actions_campaign_customer_key").on(t.campaignId, t.customerId),
    index("retention_actions_campaign_external_idx").on(t.campaignId, t.externalId),
    index("retention_actions_owner_outcome_idx").on(t.ownerId, t.outcome),
    check(
      "retention_actions_outcome_known",
      sql`${t.outcome} in ('pending', 'contacted', 'accepted', 'retained', 'churned')`,
    ),
    check(
      "retention_actions_holdout_not_contacted",
      sql`not ${t.isHoldout} or ${t.outcome} in ('pending', 'retained', 'churned')`,
    ),
  ],
);

// ─── Uplift model (issue 14): who is worth contacting, learned from treated vs hold-out outcomes ─

/**
 * One fitted T-learner of a dataset (lib/uplift/t-learner.ts), from every campaign's recorded
 * outcomes at the time; the newest row is the one the planner uses. The Qini summary is of
 * out-of-fold predictions (honest), the curve thinned for the chart.
 */
export const upliftModels = pgTable(
  "uplift_models",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** The version whose schema encoded the features (the champion's, as in the planner). */
    datasetVersionId: integer("dataset_version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    /** UpliftModel.toJSON(): the feature pipeline and the two logistic regressions. */
    model: jsonb("model").$type<Record<string, unknown>>().notNull(),
    /** Qini curve points, coefficient, total gain and top-20 % gain (lib/uplift/qini.ts). */
    qini: jsonb("qini").$type<Record<string, unknown>>().notNull(),
    treatedCount: integer("treated_count").notNull(),
    treatedChurned: integer("treated_churned").notNull(),
    holdoutCount: integer("holdout_count").notNull(),
    holdoutChurned: integer("holdout_churned").notNull(),
    campaignCount: integer("campaign_count").notNull(),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("uplift_models_dataset_created_idx").on(t.datasetId, t.createdAt)],
);
