/**
 * The environment sst.config.ts gives the Lambda functions, fed to the server's own configuration
 * module as Lambda would present it: every embedded default must be off and every production
 * adapter on, without an AWS account.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { inngestRuntimeOptions } from "@/jobs/client";
import { postgresClientOptions } from "@/server/db/client";
import {
  assertDeployableConfiguration,
  resetServerEnvCache,
  serverEnv,
  usesInngest,
  usesPusher,
} from "@/server/env";
import { realtimeClientConfig, resetPublisher } from "@/server/realtime";
import { defaultPoolSize } from "@/server/services/training/compute-pool";
import { resolveS3Region } from "@/server/storage/s3";
import { type AppResources, appEnvironment, interpolateStrings } from "./app-environment";

/** What the SST secrets and components resolve to at deploy time (secret values set with `sst secret set`). */
const resources: AppResources<string> = {
  databaseHost: "churnguard-production-databaseproxy.proxy-abc123.eu-central-1.rds.amazonaws.com",
  databasePort: "5432",
  databaseName: "churnguard",
  databaseUser: "postgres",
  databasePassword: "Abc123def456Ghi789jkl012Mno345pq",
  bucketName: "churnguard-production-filesbucket-xyz",
  authSecret: "a-production-secret-that-is-long-enough-0123456789",
  inngestEventKey: "event-key",
  inngestSigningKey: `signkey-prod-${"cd".repeat(32)}`,
  pusherAppId: "1700001",
  pusherKey: "pusher-key",
  pusherSecret: "pusher-secret",
  pusherCluster: "eu",
  cognito: { clientId: "", clientSecret: "", issuer: "" },
};

/** What the Lambda runtime adds on its own. */
const LAMBDA_RUNTIME = {
  AWS_LAMBDA_FUNCTION_NAME: "churnguard-production-WebServerEucentral1Function",
  AWS_REGION: "eu-central-1",
};

function applyEnvironment(values: Record<string, string>): void {
  for (const [name, value] of Object.entries({ ...values, ...LAMBDA_RUNTIME })) vi.stubEnv(name, value);
  resetServerEnvCache();
  resetPublisher();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  resetPublisher();
});

describe("the environment sst.config.ts provides, as seen on Lambda", () => {
  it("passes the start-up checks and switches every adapter to its production backend", () => {
    const environment = appEnvironment(resources, interpolateStrings);
    applyEnvironment(environment);
    expect(() => assertDeployableConfiguration()).not.toThrow();
    const env = serverEnv();
    expect(env.DATABASE_URL).toBe(
      `postgres://postgres:${resources.databasePassword}@${resources.databaseHost}:5432/churnguard?sslmode=require`,
    );
    expect(env.S3_BUCKET).toBe(resources.bucketName);
    expect(env.SEED_DEMO).toBe("never");
    expect(env.API_RATE_LIMIT_STORE).toBe("database");
    expect(usesInngest()).toBe(true);
    expect(usesPusher()).toBe(true);
    expect(realtimeClientConfig()).toMatchObject({
      kind: "pusher",
      key: "pusher-key",
      cluster: "eu",
      forceTLS: true,
    });
    // Runtime-derived choices.
    expect(resolveS3Region({ region: env.S3_REGION })).toBe("eu-central-1");
    expect(postgresClientOptions()).toMatchObject({ max: 2, idle_timeout: 20, prepare: false });
    expect(defaultPoolSize()).toBe(0);
    expect(inngestRuntimeOptions()).toEqual({ checkpointing: { maxRuntime: "12m" } });
    // The optional Cognito secrets default to "": single sign-on stays off.
    expect(env.AUTH_COGNITO_ID).toBeUndefined();
    expect(env.AUTH_COGNITO_ISSUER).toBeUndefined();
    // No custom domain: AUTH_URL is left to Auth.js's forwarded host.
    expect(environment).not.toHaveProperty("AUTH_URL");
  });

  it("sets AUTH_URL and Cognito when a domain and the Cognito secrets are given", () => {
    const environment = appEnvironment(
      {
        ...resources,
        publicUrl: "https://churn.example.com",
        cognito: {
          clientId: "client",
          clientSecret: "secret",
          issuer: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC",
        },
      },
      interpolateStrings,
    );
    applyEnvironment(environment);
    const env = serverEnv();
    expect(env.AUTH_URL).toBe("https://churn.example.com");
    expect(env.AUTH_COGNITO_ISSUER).toContain("cognito-idp");
  });

  it("refuses to start when a secret was not set, naming it", () => {
    applyEnvironment(
      appEnvironment({ ...resources, inngestSigningKey: "", pusherSecret: "" }, interpolateStrings),
    );
    expect(() => serverEnv()).toThrow(/INNGEST_SIGNING_KEY: is required when INNGEST_EVENT_KEY is set/);
    vi.stubEnv("INNGEST_EVENT_KEY", "");
    resetServerEnvCache();
    expect(() => assertDeployableConfiguration()).toThrow(
      /set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY[\s\S]*set PUSHER_SECRET to use Pusher/,
    );
  });
});
