import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "@/server/env";
import { startEmbeddedRunner } from "./dispatch";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

describe("the embedded runner on AWS Lambda", () => {
  it("refuses to start, saying which keys move jobs to Inngest", async () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "churnguard-web");
    vi.stubEnv("INNGEST_EVENT_KEY", "");
    vi.stubEnv("INNGEST_SIGNING_KEY", "");
    vi.stubEnv("INNGEST_DEV", "");
    resetServerEnvCache();
    await expect(startEmbeddedRunner()).rejects.toThrow(
      /cannot run on AWS Lambda: set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY/,
    );
  });

  it("is not needed there once Inngest is configured", async () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "churnguard-web");
    vi.stubEnv("INNGEST_EVENT_KEY", "event-key");
    vi.stubEnv("INNGEST_SIGNING_KEY", "signkey-prod-00");
    resetServerEnvCache();
    await expect(startEmbeddedRunner()).resolves.toBeNull();
  });
});
