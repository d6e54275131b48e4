import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "@/server/env";

const LAMBDA_READY = {
  AWS_LAMBDA_FUNCTION_NAME: "churnguard-production-InngestFunction",
  AWS_REGION: "eu-central-1",
  DATABASE_URL: "postgres://postgres:pw@127.0.0.1:5432/unused",
  S3_BUCKET: "churnguard-files",
  INNGEST_EVENT_KEY: "event-key",
  INNGEST_SIGNING_KEY: `signkey-prod-${"ab".repeat(32)}`,
  PUSHER_APP_ID: "1",
  PUSHER_KEY: "key",
  PUSHER_SECRET: "secret",
};

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  vi.resetModules();
});

/** A Lambda Function URL request (payload format 2.0), as Inngest's GET introspection sends it. */
function functionUrlGet(path: string) {
  return {
    version: "2.0",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "abc.lambda-url.eu-central-1.on.aws", "x-forwarded-proto": "https" },
    requestContext: { http: { method: "GET", path }, domainName: "abc.lambda-url.eu-central-1.on.aws" },
    isBase64Encoded: false,
  };
}

describe("the Inngest Lambda entry point", () => {
  it("loads on Lambda with its configuration and answers as Inngest's cloud endpoint: unsigned requests refused", async () => {
    for (const [name, value] of Object.entries(LAMBDA_READY)) vi.stubEnv(name, value);
    resetServerEnvCache();
    const { handler } = await import("./inngest-lambda");
    const response = (await (handler as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
      functionUrlGet("/api/inngest"),
      {},
    )) as { statusCode: number; body: string };
    // Cloud mode with the signing key: a request Inngest did not sign is refused before any work.
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ message: "Unauthorized" });
  });

  it("refuses to load without Pusher and the Inngest keys, naming them", async () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "churnguard-production-InngestFunction");
    for (const name of [
      "INNGEST_EVENT_KEY",
      "INNGEST_SIGNING_KEY",
      "INNGEST_DEV",
      "PUSHER_APP_ID",
      "PUSHER_KEY",
      "PUSHER_SECRET",
    ])
      vi.stubEnv(name, "");
    resetServerEnvCache();
    await expect(import("./inngest-lambda")).rejects.toThrow(
      /INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY[\s\S]*PUSHER_APP_ID/,
    );
  });
});
