/**
 * What a log line may never carry: secrets (passwords, tokens, API keys, cookies, authorization
 * headers) and customer data (CSV rows, the customer record of a predict call, the bound
 * parameters of a failed SQL statement, which are often a row's values).
 *
 * pino's own `redact` option takes fixed paths (`a.b`, `*.b` one level deep); a customer row can
 * sit at any depth of an error's cause chain, so keys are matched by name at every depth instead.
 * The cost is a walk over each logged object, which is small next to the write itself; the hot
 * paths (REST predict, tRPC) log only on failure or at debug level.
 */

export const REDACTED = "[redacted]";

/**
 * Key names (compared without case, `-` and `_`) whose values are replaced. Secrets first, then
 * the shapes customer data takes in this code base.
 */
const SECRET_KEYS = [
  "password",
  "passwordhash",
  "newpassword",
  "currentpassword",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sessiontoken",
  "secret",
  "clientsecret",
  "apikey",
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "xapikey",
  "signingkey",
  "eventkey",
  "csrftoken",
];
const CUSTOMER_DATA_KEYS = [
  "row",
  "rows",
  "record",
  "records",
  "customerdata",
  "customer",
  "customers",
  "features",
  "values",
  "csv",
  "body",
  "params",
  "parameters",
  "payload",
  "email",
];

const REDACTED_KEYS = new Set([...SECRET_KEYS, ...CUSTOMER_DATA_KEYS].map(normalizeKey));

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

export function isRedactedKey(key: string): boolean {
  return REDACTED_KEYS.has(normalizeKey(key));
}

/** API keys, bearer tokens and Auth.js session cookies written into free text (messages, stacks). */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/cg_live_[A-Za-z0-9_-]+/g, `cg_live_${REDACTED}`],
  [/(authjs\.[a-z-]*session-token=)[^;\s]+/gi, `$1${REDACTED}`],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to log: redacted keys replaced, secrets in strings scrubbed, errors as
 * plain objects (type, message, stack, code, cause and their own fields, all walked the same way),
 * cycles and deep nesting cut.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") {
    return typeof value === "bigint" ? value.toString() : value;
  }
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value, depth, seen);
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
    if (value instanceof Map) return redact(Object.fromEntries(value), depth, seen);
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isRedactedKey(key) ? REDACTED : redact(item, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.constructor?.name || error.name || "Error",
    message: scrubText(error.message ?? ""),
  };
  if (error.stack) out.stack = scrubText(error.stack);
  for (const [key, item] of Object.entries(error)) {
    if (key === "message" || key === "stack") continue;
    out[key] = isRedactedKey(key) ? REDACTED : redact(item, depth + 1, seen);
  }
  if (error.cause !== undefined) out.cause = redact(error.cause, depth + 1, seen);
  return out;
}
