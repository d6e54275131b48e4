import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  assertDeployableConfiguration,
  isOnLambda,
  lambdaConfigurationProblems,
  resetServerEnvCache,
  serverEnv,
  usesInngest,
} from "./env";
import { sseResponse } from "./realtime/sse";

/** Every variable these tests vary, cleared so the machine's own environment cannot leak in. */
const VARIED = [
  "AWS_LAMBDA_FUNCTION_NAME",
  "DATABASE_URL",
  "S3_BUCKET",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
  "INNGEST_DEV",
  "PUSHER_APP_ID",
  "PUSHER_KEY",
  "PUSHER_SECRET",
] as const;

function setEnv(values: Partial<Record<(typeof VARIED)[number] | "AUTH_SECRET", string>>): void {
  for (const name of VARIED) vi.stubEnv(name, "");
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetServerEnvCache();
}

const LAMBDA_READY = {
  AWS_LAMBDA_FUNCTION_NAME: "churnguard-production-WebServerFunction",
  DATABASE_URL: "postgres://postgres:pw@proxy.example.internal:5432/churnguard",
  S3_BUCKET: "churnguard-production-files",
  INNGEST_EVENT_KEY: "event-key",
  INNGEST_SIGNING_KEY: `signkey-prod-${"ab".repeat(32)}`,
  PUSHER_APP_ID: "1",
  PUSHER_KEY: "key",
  PUSHER_SECRET: "secret",
};

beforeEach(() => resetServerEnvCache());
afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

describe("Inngest keys come in pairs", () => {
  it("refuses the event key alone, naming the missing signing key", () => {
    setEnv({ INNGEST_EVENT_KEY: "event-key" });
    expect(() => serverEnv()).toThrow(/INNGEST_SIGNING_KEY: is required when INNGEST_EVENT_KEY is set/);
  });

  it("refuses the signing key alone, naming the missing event key", () => {
    setEnv({ INNGEST_SIGNING_KEY: "signkey-prod-00" });
    expect(() => serverEnv()).toThrow(/INNGEST_EVENT_KEY: is required when INNGEST_SIGNING_KEY is set/);
    expect(() => serverEnv()).not.toThrow(/INNGEST_SIGNING_KEY:/);
  });

  it("uses Inngest with both keys, the embedded runner with neither, and the dev server without keys", () => {
    setEnv({ INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "s" });
    expect(usesInngest()).toBe(true);
    setEnv({});
    expect(usesInngest()).toBe(false);
    setEnv({ INNGEST_DEV: "1", INNGEST_EVENT_KEY: "e" });
    expect(usesInngest()).toBe(true);
  });
});

describe("on AWS Lambda", () => {
  it("is detected by AWS_LAMBDA_FUNCTION_NAME only", () => {
    expect(isOnLambda({})).toBe(false);
    expect(isOnLambda({ AWS_LAMBDA_FUNCTION_NAME: "" })).toBe(false);
    expect(isOnLambda({ AWS_LAMBDA_FUNCTION_NAME: "fn" })).toBe(true);
  });

  it("starts with Inngest, Pusher, PostgreSQL, S3 and a session secret", () => {
    setEnv(LAMBDA_READY);
    expect(lambdaConfigurationProblems(serverEnv())).toEqual([]);
    expect(() => assertDeployableConfiguration()).not.toThrow();
  });

  it("refuses the embedded defaults with a message naming each missing variable", () => {
    setEnv({ AWS_LAMBDA_FUNCTION_NAME: "churnguard-web" });
    vi.stubEnv("AUTH_SECRET", "");
    resetServerEnvCache();
    let message = "";
    try {
      assertDeployableConfiguration();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("cannot start on AWS Lambda (churnguard-web)");
    expect(message).toMatch(
      /embedded job runner cannot run on Lambda.*set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY/,
    );
    expect(message).toMatch(
      /Server-Sent Events cannot be served from Lambda.*set PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET/,
    );
    expect(message).toContain("set DATABASE_URL");
    expect(message).toContain("set S3_BUCKET");
    expect(message).toContain("set AUTH_SECRET");
  });

  it("names only what is missing", () => {
    setEnv({ ...LAMBDA_READY, PUSHER_SECRET: "" });
    expect(lambdaConfigurationProblems(serverEnv())).toEqual([
      expect.stringMatching(/set PUSHER_SECRET to use Pusher$/),
    ]);
  });

  it("does nothing off Lambda: the embedded defaults stay the zero-configuration mode", () => {
    setEnv({});
    expect(() => assertDeployableConfiguration()).not.toThrow();
  });

  it("answers an EventSource with 503 instead of a stream that would never deliver", async () => {
    setEnv({ AWS_LAMBDA_FUNCTION_NAME: "churnguard-web" });
    const response = sseResponse(new Request("http://x/api/realtime?channel=training-run-1"), true);
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatch(/not served on AWS Lambda.*PUSHER_APP_ID/);
  });
});
