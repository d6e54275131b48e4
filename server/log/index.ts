/**
 * The server's structured log: one JSON object per line (pino) with time, level, message and the
 * context of the work being done — request id and user id for a request, job id, function and
 * run id for durable work — taken from an AsyncLocalStorage scope, so code deep inside a service
 * logs with its request's id without passing it along.
 *
 *   LOG_LEVEL   trace | debug | info (default) | warn | error | fatal | silent
 *
 * Output: readable colored lines (pino-pretty, in this thread) when stdout is a terminal, plain
 * JSON lines otherwise — which is what CloudWatch Logs ingests from Lambda (Lambda's stdout is
 * never a terminal; pretty output is also refused there explicitly). Secrets and customer data
 * are removed before a line is written (./redact.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import pretty from "pino-pretty";
import { processWide } from "../process-wide";
import { redact, scrubText } from "./redact";

export type { Logger } from "pino";
export { REDACTED, redact, scrubText } from "./redact";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What every line logged inside a scope carries (absent fields are left out). */
export interface LogContext {
  requestId?: string;
  userId?: string | number;
  jobId?: string;
  function?: string;
  runId?: number | string;
}

const scopes = processWide("log.scopes", () => new AsyncLocalStorage<LogContext>());

/** Runs `fn` with `context` added to the current scope's for every line it (and what it calls) logs. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return scopes.run({ ...scopes.getStore(), ...context }, fn);
}

/** Adds fields to the current scope once they are known (the user after the session is read). */
export function addLogContext(context: LogContext): void {
  const store = scopes.getStore();
  if (store) Object.assign(store, context);
}

export function currentLogContext(): LogContext {
  return { ...scopes.getStore() };
}

/** LOG_LEVEL if it names a level; tests are silent unless they ask (they print their own failures). */
export function logLevelFrom(env: Record<string, string | undefined>): LogLevel {
  const wanted = env.LOG_LEVEL?.trim().toLowerCase();
  if (wanted && (LOG_LEVELS as readonly string[]).includes(wanted)) return wanted as LogLevel;
  return env.VITEST ? "silent" : "info";
}

/** Pretty only for a person at a terminal; never on Lambda, whose stdout goes to CloudWatch as is. */
export function wantsPrettyOutput(env: Record<string, string | undefined>, isTty: boolean): boolean {
  if (env.AWS_LAMBDA_FUNCTION_NAME) return false;
  if (env.LOG_FORMAT === "json") return false;
  if (env.LOG_FORMAT === "pretty") return true;
  return isTty;
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Where lines go (tests pass a stream); default stdout. */
  destination?: DestinationStream;
  pretty?: boolean;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? logLevelFrom(process.env);
  const config: LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names ("info"), not numbers: CloudWatch Logs Insights filters on them as written.
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redact(object) as Record<string, unknown>,
    },
    // Errors are already plain, redacted objects (redact() above); pino's own serializer would
    // rebuild them from the original.
    serializers: { err: (value: unknown) => value },
    mixin: () => ({ ...scopes.getStore() }),
    hooks: {
      // The message itself (and printf-style arguments) may quote a key or a token.
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === "string" ? scrubText(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  const isPretty = options.pretty ?? wantsPrettyOutput(process.env, Boolean(process.stdout.isTTY));
  if (options.destination) {
    return pino(
      config,
      isPretty ? pretty({ destination: options.destination, sync: true }) : options.destination,
    );
  }
  // In this thread (sync), not as a worker-thread transport: Next.js bundles server code, and a
  // transport's worker file cannot be found inside a bundle.
  return isPretty
    ? pino(config, pretty({ sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }))
    : pino(config);
}

/** The process's logger (one per process, not per Next.js bundle). */
export function rootLogger(): Logger {
  return processWide("log.root", () => createLogger());
}

/** A logger whose lines name the part of the system they come from (`component: "jobs"`). */
export function logger(component: string): Logger {
  return rootLogger().child({ component });
}

/** A request id a client sent (short, plain characters), or a new one. */
export function requestIdFrom(headers: Headers | Record<string, string | string[] | undefined>): string {
  const raw =
    headers instanceof Headers
      ? headers.get("x-request-id")
      : (() => {
          const value = headers["x-request-id"];
          return Array.isArray(value) ? value[0] : value;
        })();
  return raw && /^[A-Za-z0-9._:-]{8,128}$/.test(raw) ? raw : crypto.randomUUID();
}
