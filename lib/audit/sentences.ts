/**
 * Audit entries in words: every action code the app writes gets a sentence that reads after the
 * actor's name ("admin@example.com promoted Gradient boosting v3 to champion"). Pure, so the audit
 * page, the CSV export and tests share it. `server/services/audit-sentences.test.ts` scans the
 * source for every code written and fails when one has no sentence here.
 *
 * Details are whatever the writer stored (JSON): every field is read defensively, and a value from
 * an uploaded file (a dataset name) is only ever text in the sentence.
 */

export interface AuditSentenceInput {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown> | null;
}

type Details = Record<string, unknown>;
type Describe = (details: Details, entry: AuditSentenceInput) => string;

const ALGORITHMS: Record<string, string> = {
  logistic_regression: "Logistic regression",
  random_forest: "Random forest",
  gradient_boosting: "Gradient boosting",
  svm: "SVM",
};

const SETTING_NAMES: Record<string, string> = {
  risk_bands: "the risk bands",
  currency: "the currency",
  sign_up: "self sign-up",
  retention_playbook: "the retention playbook",
  data_retention: "data retention",
  demo_events: "the demo event generator",
};

const text = (value: unknown): string | null =>
  typeof value === "string" && value.length > 0 ? value : typeof value === "number" ? String(value) : null;
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const quoted = (value: unknown, fallback: string): string => {
  const t = text(value);
  return t === null ? fallback : `‘${t.length > 80 ? `${t.slice(0, 79)}…` : t}’`;
};
const count = (n: number | null, one: string, many = `${one}s`): string =>
  n === null ? `some ${many}` : `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const percent = (value: unknown): string => {
  const n = num(value);
  return n === null ? "?" : `${Math.round(n * 1000) / 10} %`;
};

/** "Gradient boosting v3" from { algorithm, version }; "model #12" when they are missing. */
function modelName(details: Details, entry: AuditSentenceInput): string {
  const algorithm = text(details.algorithm);
  const label = algorithm ? (ALGORITHMS[algorithm] ?? algorithm.replaceAll("_", " ")) : null;
  const version = num(details.version);
  if (label && version !== null) return `${label} v${version}`;
  if (label) return label;
  return entry.targetId ? `model #${entry.targetId}` : "a model";
}

const ref = (entry: AuditSentenceInput, noun: string) =>
  entry.targetId ? `${noun} #${entry.targetId}` : `a ${noun}`;
const who = (details: Details, entry: AuditSentenceInput) =>
  text(details.email) ?? (entry.targetId ? `user #${entry.targetId}` : "an account");

function settingSentence(details: Details, entry: AuditSentenceInput): string {
  const key = entry.targetId ?? "";
  const value = (details.value ?? null) as Details | null;
  const v: Details = value && typeof value === "object" ? value : {};
  switch (key) {
    case "risk_bands":
      return `set the risk bands: medium from ${percent(v.medium)}, high from ${percent(v.high)}`;
    case "currency":
      return `set the currency to ${text(v.code) ?? "?"}`;
    case "sign_up":
      return v.open === true ? "opened self sign-up" : "closed self sign-up";
    case "retention_playbook": {
      const rules = Array.isArray(v.rules) ? (v.rules as Details[]) : [];
      const disabled = rules.filter((r) => r && r.enabled === false).length;
      return `updated the retention playbook (${count(rules.length, "action")}${disabled ? `, ${disabled} disabled` : ""})`;
    }
    case "data_retention": {
      const days = (n: unknown) => {
        const d = num(n);
        return d === null ? "forever" : count(d, "day");
      };
      return `set data retention: scored files ${days(v.scoredFilesDays)}, reports ${days(v.reportsDays)}, API call logs ${days(v.apiLogsDays)}`;
    }
    case "demo_events":
      return v.enabled === true
        ? `turned the demo event generator on (${count(num(v.eventsPerMinute), "event")} a minute for ${count(num(v.durationMinutes), "minute")})`
        : "turned the demo event generator off";
    default:
      return `changed ${SETTING_NAMES[key] ?? `the setting ${quoted(key, "?")}`}`;
  }
}

/** One sentence per action code the app writes. */
export const AUDIT_SENTENCES: Readonly<Record<string, Describe>> = {
  // Accounts and sessions
  "user.sign_in": (d) => (d.via === "sso" ? "signed in with single sign-on" : "signed in"),
  "user.sign_out": () => "signed out",
  "user.sign_in_failed": (d) => `failed to sign in as ${text(d.email) ?? "an unknown account"}`,
  "user.sign_in_blocked": (d) =>
    `was blocked from signing in as ${text(d.email) ?? "an account"} after too many failed attempts`,
  "user.sign_in_deactivated": () => "tried to sign in to a deactivated account",
  "user.sign_up": (d) =>
    `signed up ${text(d.email) ?? "an account"} as ${text(d.role) ?? "viewer"}${d.via === "sso" ? " through single sign-on" : ""}`,
  "user.sign_up_existing_email": (d) =>
    `tried to sign up with the e-mail of an existing account (${text(d.email) ?? "?"})`,
  "user.created": (d, e) => `created the account ${who(d, e)} (${text(d.role) ?? "viewer"})`,
  "user.role_changed": (d, e) =>
    `changed the role of ${who(d, e)} from ${text(d.from) ?? "?"} to ${text(d.to) ?? "?"}`,
  "user.password_reset": (d, e) => `issued a password reset link for ${who(d, e)}`,
  "user.password_set": () => "set their password with a one-time link",
  "user.password_changed": () => "changed their password",
  "user.password_change_failed": () => "failed to change their password (wrong current password)",
  "user.renamed": (d) => `renamed themselves from ${quoted(d.from, "?")} to ${quoted(d.to, "?")}`,
  "user.deactivated": (d, e) => `deactivated ${who(d, e)}`,
  "user.reactivated": (d, e) => `reactivated ${who(d, e)}`,

  // Data and models
  "dataset.imported": (d) =>
    `imported dataset ${quoted(d.name, "?")}${num(d.version) !== null ? ` v${d.version}` : ""} (${count(num(d.rows), "row")})`,
  "dataset.deleted": (d, e) =>
    `deleted dataset ${quoted(d.name, e.targetId ? `#${e.targetId}` : "?")} with ${count(Array.isArray(d.versions) ? d.versions.length : null, "version")} and ${count(num(d.models), "model")}`,
  "training.started": (d, e) =>
    `started training run #${e.targetId ?? "?"} on ${quoted(d.dataset, "a dataset")}${num(d.version) !== null ? ` v${d.version}` : ""}`,
  "training.cancelled": (_d, e) => `cancelled ${ref(e, "training run")}`,
  "model.champion_selected": (d, e) =>
    `made ${modelName(d, e)} champion${num(d.runId) !== null ? ` after training run #${d.runId}` : ""}`,
  "model.promoted": (d, e) => `promoted ${modelName(d, e)} to champion`,
  "model.rolled_back": (d, e) => `rolled the champion back to ${modelName(d, e)}`,
  "model.download": (d, e) => `downloaded the model file of ${modelName(d, e)}`,
  "batch_scoring.started": (d, e) =>
    `started scoring ${count(num(d.rows), "row")} of a file (${ref(e, "batch")})${num(d.modelVersion) !== null ? ` with model v${d.modelVersion}` : ""}`,
  "batch_scoring.cancelled": (_d, e) => `cancelled scoring ${ref(e, "batch")}`,

  // Drift monitoring and scheduled retraining
  "drift.check": (d, e) =>
    `checked ${quoted(d.name, ref(e, "dataset"))} for drift (${count(num(d.versions), "newer version")}, ${count(num(d.files), "scored file")})`,
  "drift.alert": (d, e) => {
    const columns = Array.isArray(d.columns)
      ? d.columns
          .map((c) => (c && typeof c === "object" ? text((c as Details).column) : null))
          .filter((c): c is string => c !== null)
      : [];
    const names = columns.slice(0, 3).map((c) => quoted(c, "?"));
    const more = columns.length > 3 ? ` and ${columns.length - 3} more` : "";
    return `flagged significant drift on ${ref(e, "dataset")}${names.length ? ` in ${names.join(", ")}${more}` : ""}`;
  },
  "retraining.schedule_updated": (d, e) =>
    d.isEnabled === false
      ? `switched off scheduled retraining of ${quoted(d.dataset, ref(e, "dataset"))}`
      : `set the retraining schedule of ${quoted(d.dataset, ref(e, "dataset"))}${text(d.cron) ? ` to ${quoted(d.cron, "?")}` : ""}${text(d.timeZone) ? ` (${d.timeZone})` : ""}`,
  "retraining.skipped": (d, e) =>
    `skipped a scheduled retraining of ${ref(e, "dataset")}${text(d.reason) ? `: ${quoted(d.reason, "")}` : ""}`,
  "retraining.failed": (d, e) =>
    `saw a scheduled retraining of ${quoted(d.dataset, ref(e, "dataset"))} fail${text(d.error) ? `: ${quoted(d.error, "")}` : ""}`,
  "retraining.failure_dismissed": (_d, e) => `dismissed the failed-retraining notice of ${ref(e, "dataset")}`,

  // Campaigns and reports
  "campaign.create": (d) => `saved campaign ${quoted(d.name, "?")} (${count(num(d.targets), "customer")})`,
  "campaign.assign": (d, e) =>
    `assigned actions for ${quoted(d.name, ref(e, "campaign"))}: ${count(num(d.treated), "customer")} to act on, ${count(num(d.holdout), "customer")} held out (seed ${num(d.seed) ?? "?"})`,
  "campaign.action_updated": (d, e) =>
    `changed the action, owner or due date for ${quoted(d.customer, "a customer")} in ${ref(e, "campaign")}${text(d.dueDate) ? ` (due ${d.dueDate})` : ""}`,
  "campaign.outcome_recorded": (d, e) =>
    `recorded ${quoted(d.outcome, "an outcome")} for ${quoted(d.customer, "a customer")} in ${ref(e, "campaign")}`,
  "campaign.outcomes_imported": (d, e) =>
    `imported ${count(num(d.rows), "outcome")} into ${quoted(d.name, ref(e, "campaign"))} from a CSV file`,
  "campaign.outcomes_from_data": (d, e) =>
    `read outcomes of ${quoted(d.name, ref(e, "campaign"))} from dataset version ${num(d.version) ?? "?"}: ${count(num(d.churned), "churned customer")}, ${count(num(d.retained), "retained customer")}`,
  "uplift.fit": (d, e) =>
    `fitted the uplift model of ${quoted(d.dataset, ref(e, "dataset"))} from ${count(num(d.treated), "treated customer")} and ${count(num(d.holdout), "hold-out customer")} (Qini ${num(d.qini)?.toFixed(4) ?? "?"})`,
  "campaign.outcomes_from_events": (d, e) =>
    `recorded outcomes of ${quoted(d.name, ref(e, "campaign"))} from customer events: ${count(num(d.churned), "churned customer")}, ${count(num(d.retained), "retained customer")}`,
  "report.generate": (d) => `generated the report ${quoted(d.title, "?")}`,
  "report.download": (_d, e) => `downloaded ${ref(e, "report")}`,

  // Administration
  "api_key.create": (d) =>
    `created API key ${quoted(d.name, "?")}${Array.isArray(d.scopes) ? ` (${d.scopes.join(", ")})` : ""}`,
  "api_key.revoke": (d) => `revoked API key ${quoted(d.name, "?")}`,
  "settings.update": settingSentence,
  "audit.exported": (d) => `exported ${count(num(d.entries), "audit log entry", "audit log entries")} as CSV`,
  "job.retried": (d, e) => `retried the failed job ${text(d.label) ?? e.targetId ?? "?"}`,
  "job.cancelled": (d, e) => `cancelled the job ${text(d.label) ?? e.targetId ?? "?"}`,
  "data_retention.applied": (d) =>
    `deleted data past its retention: ${count(num(d.scoredFiles), "scored file")}, ${count(num(d.reports), "report")}, ${count(num(d.apiCalls), "API call log entry", "API call log entries")}`,
};

/** Whether the app knows a sentence for this code. */
export function hasAuditSentence(action: string): boolean {
  return Object.hasOwn(AUDIT_SENTENCES, action);
}

/** The sentence for an entry (it follows the actor's name); unknown codes are shown as they are. */
export function describeAuditEntry(entry: AuditSentenceInput): string {
  const details: Details =
    entry.details && typeof entry.details === "object" && !Array.isArray(entry.details) ? entry.details : {};
  if (!hasAuditSentence(entry.action)) return `did ${entry.action}`;
  try {
    return AUDIT_SENTENCES[entry.action](details, entry);
  } catch {
    return `did ${entry.action}`;
  }
}

/** "Promoted model" style names for the action filter. */
export function auditActionLabel(action: string): string {
  const [area, verb] = action.split(".", 2);
  const words = `${area ?? ""} ${verb ?? ""}`.replaceAll("_", " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
