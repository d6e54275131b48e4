import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Inngest, NonRetriableError } from "inngest";
import { serve } from "inngest/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The production-shape journey's Inngest driver against the real `inngest` SDK: the SDK syncs with
 * it, sends events to it, and every step runs in a signed request to the SDK's serve handler.
 */
const driverPort = 40_000 + Math.floor(Math.random() * 10_000);
const driverUrl = `http://127.0.0.1:${driverPort}`;
const signingKey = `signkey-test-${randomBytes(32).toString("hex")}`;
const eventKey = `event-${randomBytes(4).toString("hex")}`;

interface Run {
  functionId: string;
  status: string;
  output?: unknown;
  stepsRun: number;
  requests: number;
}

let driver: ChildProcess;
let app: Server;
const calls: string[] = [];
const failures: string[] = [];

async function runs(): Promise<Run[]> {
  return (await (await fetch(`${driverUrl}/_driver/runs`)).json()) as Run[];
}

async function until(check: (all: Run[]) => boolean): Promise<Run[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const all = await runs();
    if (check(all)) return all;
    if (Date.now() > deadline) throw new Error(`runs: ${JSON.stringify(all)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  driver = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "inngest-driver.mjs"), String(driverPort)],
    {
      env: {
        PATH: process.env.PATH ?? "",
        INNGEST_SIGNING_KEY: signingKey,
        INNGEST_EVENT_KEY: eventKey,
      } as unknown as NodeJS.ProcessEnv,
      stdio: "ignore",
    },
  );
  const client = new Inngest({ id: "driver-test", eventKey, baseUrl: driverUrl, isDev: false, signingKey });
  let flaky = 0;
  const twoSteps = client.createFunction(
    { id: "two-steps", triggers: [{ event: "test/two-steps" }], retries: 2 },
    async ({ event, step }) => {
      const a = await step.run("first", () => {
        calls.push("first");
        return (event.data as { x: number }).x + 1;
      });
      const b = await step.run("second", () => {
        calls.push("second");
        flaky++;
        if (flaky === 1) throw new Error("a passing failure");
        return a * 10;
      });
      return { b };
    },
  );
  const broken = client.createFunction(
    {
      id: "broken",
      triggers: [{ event: "test/broken" }],
      retries: 0,
      onFailure: async ({ error }) => {
        failures.push(error.message);
      },
    },
    async ({ step }) => {
      await step.run("only", () => {
        throw new NonRetriableError("cannot work");
      });
    },
  );
  app = createServer(serve({ client, functions: [twoSteps, broken] }));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appPort = (app.address() as AddressInfo).port;
  for (let i = 0; ; i++) {
    try {
      const health = await fetch(`${driverUrl}/health`);
      if (health.ok) break;
    } catch {
      if (i > 100) throw new Error("the driver did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const sync = await fetch(
    `${driverUrl}/_driver/sync?url=${encodeURIComponent(`http://127.0.0.1:${appPort}/api/inngest`)}`,
    { method: "POST" },
  );
  expect(sync.status).toBe(200);
  await client.send({ name: "test/two-steps", data: { x: 4 } });
  await client.send({ name: "test/broken", data: {} });
}, 30_000);

afterAll(async () => {
  driver?.kill("SIGTERM");
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
});

describe("the Inngest driver drives the SDK's serve handler", () => {
  it("runs each step through signed requests, retries a failed step, and completes with the output", async () => {
    const all = await until((r) =>
      r.some((run) => run.functionId === "driver-test-two-steps" && run.status !== "running"),
    );
    const run = all.find((r) => r.functionId === "driver-test-two-steps");
    expect(run).toMatchObject({ status: "completed", output: { b: 50 } });
    expect(calls.filter((c) => c === "first")).toHaveLength(1);
    expect(calls.filter((c) => c === "second")).toHaveLength(2);
  });

  it("fails a run on a non-retriable error and runs its onFailure handler", async () => {
    const all = await until((r) =>
      r.some((run) => run.functionId === "driver-test-broken-failure" && run.status !== "running"),
    );
    expect(all.find((r) => r.functionId === "driver-test-broken")?.status).toBe("failed");
    expect(all.find((r) => r.functionId === "driver-test-broken-failure")?.status).toBe("completed");
    expect(failures).toEqual(["cannot work"]);
  });

  it("refuses events sent with another event key", async () => {
    const response = await fetch(`${driverUrl}/e/not-the-key`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
  });
});
