/**
 * The structured log: JSON lines with the scope's ids, LOG_LEVEL honoured, and never a secret or
 * a customer's data, however deep it sits in what was logged.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  addLogContext,
  createLogger,
  type LogLevel,
  logLevelFrom,
  requestIdFrom,
  wantsPrettyOutput,
  withLogContext,
} from "./index";

function capture(level: LogLevel = "info", pretty = false) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level, destination, pretty });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const API_KEY = `cg_live_${"a".repeat(43)}`;

describe("the server log", () => {
  it("writes one JSON object per line with time, level name, message and the scope's ids", async () => {
    const { log, parsed } = capture();
    await withLogContext({ requestId: "req-12345678" }, async () => {
      addLogContext({ userId: 42 });
      await withLogContext({ jobId: "job-1", function: "train-models", runId: 7 }, async () => {
        log.info({ durationMs: 12.5 }, "step finished");
      });
    });
    log.warn("outside any scope");
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({
      level: "info",
      msg: "step finished",
      requestId: "req-12345678",
      userId: 42,
      jobId: "job-1",
      function: "train-models",
      runId: 7,
      durationMs: 12.5,
    });
    expect(new Date(inside.time as string).toISOString()).toBe(inside.time);
    expect(outside).toMatchObject({ level: "warn", msg: "outside any scope" });
    expect(outside).not.toHaveProperty("requestId");
  });

  it("honours the level", () => {
    const { log, parsed } = capture("warn");
    log.debug("no");
    log.info("no");
    log.warn("yes");
    log.error("yes too");
    expect(parsed().map((l) => l.msg)).toEqual(["yes", "yes too"]);
    expect(logLevelFrom({ LOG_LEVEL: "DEBUG" })).toBe("debug");
    expect(logLevelFrom({ LOG_LEVEL: "loud" })).toBe("info");
    expect(logLevelFrom({})).toBe("info");
    expect(logLevelFrom({ VITEST: "true" })).toBe("silent");
  });

  it("never writes secrets or customer data, at any depth, in errors and messages too", () => {
    const { log, lines, parsed } = capture();
    const csvRow = { customerID: "7590-VHVEG", gender: "Female", MonthlyCharges: "29.85", Churn: "No" };
    const dbError = Object.assign(new Error(`insert failed for key ${API_KEY}`), {
      query: "insert into customers values ($1, $2)",
      parameters: ["7590-VHVEG", "Female"],
    });
    log.error(
      {
        password: "hunter2-secret",
        token: "reset-token-value",
        apiKey: API_KEY,
        headers: { Authorization: `Bearer ${API_KEY}`, cookie: "authjs.session-token=abc.def" },
        request: { nested: { deeper: { row: csvRow, customer_data: { tenure: 3, gender: "Female" } } } },
        err: new Error("wrapped", { cause: dbError }),
        rowNumber: 12,
      },
      `could not import; caller sent Bearer ${API_KEY}`,
    );
    const text = lines.join("\n");
    for (const secret of [
      "hunter2-secret",
      "reset-token-value",
      API_KEY,
      "abc.def",
      "7590-VHVEG",
      "Female",
      "29.85",
    ]) {
      expect(text).not.toContain(secret);
    }
    const [line] = parsed();
    expect(line).toMatchObject({
      password: "[redacted]",
      token: "[redacted]",
      apiKey: "[redacted]",
      headers: { Authorization: "[redacted]", cookie: "[redacted]" },
      request: { nested: { deeper: { row: "[redacted]", customer_data: "[redacted]" } } },
      rowNumber: 12,
    });
    // What is safe stays useful: the error's type, message shape, the SQL text with placeholders.
    const err = line.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: "Error", message: "wrapped" });
    expect(err.cause).toMatchObject({
      message: "insert failed for key cg_live_[redacted]",
      query: "insert into customers values ($1, $2)",
      parameters: "[redacted]",
    });
    expect(line.msg).toBe("could not import; caller sent Bearer [redacted]");
  });

  it("survives cycles and deep nesting", () => {
    const { log, parsed } = capture();
    const loop: Record<string, unknown> = { name: "a" };
    loop.self = loop;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    log.info({ loop, deep }, "odd shapes");
    const [line] = parsed();
    expect(line.loop).toEqual({ name: "a", self: "[circular]" });
    expect(JSON.stringify(line.deep)).toContain("[too deep]");
  });

  it("is pretty only at a terminal and never on Lambda", () => {
    expect(wantsPrettyOutput({}, true)).toBe(true);
    expect(wantsPrettyOutput({}, false)).toBe(false);
    expect(wantsPrettyOutput({ AWS_LAMBDA_FUNCTION_NAME: "web" }, true)).toBe(false);
    expect(wantsPrettyOutput({ LOG_FORMAT: "json" }, true)).toBe(false);
    const { log, lines } = capture("info", true);
    log.info({ password: "hunter2-secret" }, "pretty line");
    expect(lines.join("\n")).toContain("pretty line");
    expect(lines.join("\n")).not.toContain("hunter2-secret");
    expect(() => JSON.parse(lines[0])).toThrow();
  });

  it("takes a request id a client sent only when it looks like one", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "abc-123-def-456" }))).toBe("abc-123-def-456");
    expect(requestIdFrom({ "x-request-id": "short" })).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom({ "x-request-id": "bad\nvalue injected here" })).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(new Headers())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
