/**
 * The SSRF guard of the failure webhook: hostile URLs are refused on save (each class of address),
 * and at send time a name is resolved inside the connection, so a name that resolves (or later
 * rebinds) to a private address is refused and never connected to; redirects are not followed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNonRetriable } from "@/jobs/errors";
import type { DatabaseHandle } from "../../db/client";
import { datasets, retrainingSchedules } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { deliverWebhook } from "./webhook";
import { privateAddressKind, type Resolve, type WebhookPolicy, webhookUrlProblem } from "./webhook-guard";

const strict: WebhookPolicy = { allowPrivate: false, requireHttps: true };
const development: WebhookPolicy = { allowPrivate: false, requireHttps: false };
const allowPrivate: WebhookPolicy = { allowPrivate: true, requireHttps: false };

describe("webhookUrlProblem (on save)", () => {
  it.each([
    ["http://127.0.0.1/hook", /127\.0\.0\.1: it is a loopback address/],
    ["https://127.8.9.10/hook", /loopback/],
    ["https://2130706433/hook", /127\.0\.0\.1: it is a loopback address/], // decimal spelling
    ["https://0x7f.1/hook", /loopback/], // hex spelling
    ["https://[::1]:8443/hook", /\[::1\]: it is a loopback address/],
    ["https://[::ffff:127.0.0.1]/hook", /loopback/], // IPv4-mapped IPv6
    ["https://169.254.169.254/latest/meta-data/", /link-local address \(where cloud metadata/],
    ["https://[fe80::1]/hook", /link-local/],
    ["https://10.1.2.3/hook", /private network address/],
    ["https://172.16.0.1/hook", /private network address/],
    ["https://172.31.255.254/hook", /private network address/],
    ["https://192.168.1.1/hook", /private network address/],
    ["https://[fd12:3456::1]/hook", /private network address/], // fc00::/7
    ["https://[fc00::1]/hook", /private network address/],
    ["https://0.0.0.0/hook", /reserved address/],
    ["https://[::]/hook", /reserved address/],
    ["https://localhost/hook", /local network/],
    ["https://api.localhost/hook", /local network/],
    ["https://metadata.google.internal/computeMetadata/v1/", /local network/],
    ["https://intranet/hook", /local network/],
  ])("refuses %s", (url, message) => {
    expect(webhookUrlProblem(url, development)).toMatch(message);
    expect(webhookUrlProblem(url, strict)).toMatch(message);
  });

  it("accepts public addresses and names, and anything when private targets are allowed", () => {
    expect(webhookUrlProblem("https://hooks.example.com/churnguard", strict)).toBeNull();
    expect(webhookUrlProblem("https://93.184.216.34/x", strict)).toBeNull();
    expect(webhookUrlProblem("https://172.32.0.1/x", strict)).toBeNull(); // just outside 172.16/12
    expect(webhookUrlProblem("https://[2606:4700:4700::1111]/x", strict)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:3000/hook", allowPrivate)).toBeNull();
  });

  it("requires https in production, refuses other schemes and credentials", () => {
    expect(webhookUrlProblem("http://hooks.example.com/x", strict)).toMatch(/must use https/);
    expect(webhookUrlProblem("http://hooks.example.com/x", development)).toBeNull();
    expect(webhookUrlProblem("ftp://hooks.example.com/x", development)).toMatch(/ftp is not allowed/);
    expect(webhookUrlProblem("file:///etc/passwd", development)).toMatch(/file is not allowed/);
    expect(webhookUrlProblem("https://u:p@hooks.example.com/x", strict)).toMatch(/no user name/);
    expect(webhookUrlProblem("not a url", strict)).toMatch(/full URL/);
  });

  it("classifies addresses (public ones as null)", () => {
    expect(privateAddressKind("8.8.8.8")).toBeNull();
    expect(privateAddressKind("100.64.0.1")).toMatch(/private/);
    expect(privateAddressKind("::ffff:10.0.0.1")).toMatch(/private/);
    expect(privateAddressKind("64:ff9b::a00:1")).toMatch(/reserved/);
  });
});

describe.each(testDatabaseKinds())("deliverWebhook's guard at send time (%s)", (kind) => {
  let handle: DatabaseHandle;
  let server: Server;
  let port: number;
  const received: string[] = [];
  let redirectTo: string | null = null;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    server = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      if (redirectTo) {
        res.statusCode = 302;
        res.setHeader("location", redirectTo);
      }
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await handle?.close();
  });

  let sequence = 0;
  async function datasetWithWebhook(url: string): Promise<number> {
    sequence += 1;
    const [dataset] = await handle.db
      .insert(datasets)
      .values({ name: `Webhook guard ${sequence}` })
      .returning({ id: datasets.id });
    await handle.db
      .insert(retrainingSchedules)
      .values({ datasetId: dataset.id, cron: "0 6 * * 1", webhookUrl: url, webhookSecret: "whsec_test" });
    return dataset.id;
  }
  const payload = { event: "retraining.failed" };

  it("refuses a name that resolves to a private address, without connecting", async () => {
    const datasetId = await datasetWithWebhook(`http://hooks.example.com:${port}/hook`);
    const resolve: Resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const before = received.length;
    const error = await deliverWebhook(handle.db, datasetId, payload, { resolve, policy: development }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      "Refused to call the webhook: hooks.example.com resolves to 127.0.0.1, a loopback address",
    );
    expect(isNonRetriable(error)).toBe(true); // the runner does not retry it
    expect(received.length).toBe(before);
  });

  it("refuses a DNS-rebinding name: public when checked first, private on the next answer", async () => {
    const datasetId = await datasetWithWebhook(`http://rebind.example.com:${port}/hook`);
    // Saving passes (the name is not a literal); then each lookup answers differently, as a
    // rebinding DNS server with a zero TTL does. Whichever answer the socket would use is checked.
    const answers = [[{ address: "93.184.216.34", family: 4 }], [{ address: "169.254.169.254", family: 4 }]];
    let lookups = 0;
    const resolve: Resolve = async () => answers[Math.min(lookups++, answers.length - 1)];
    expect(webhookUrlProblem(`http://rebind.example.com:${port}/hook`, development)).toBeNull();
    // A check made apart from the connection would have seen this public answer…
    expect(await resolve("rebind.example.com")).toEqual([{ address: "93.184.216.34", family: 4 }]);
    // …but the delivery checks the answer its own socket gets.
    const before = received.length;
    await expect(
      deliverWebhook(handle.db, datasetId, payload, { resolve, policy: development }),
    ).rejects.toThrow(/rebind\.example\.com resolves to 169\.254\.169\.254, a link-local address/);
    // A name answering a public AND a private address at once is refused too.
    const mixed: Resolve = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ];
    await expect(
      deliverWebhook(handle.db, datasetId, payload, { resolve: mixed, policy: development }),
    ).rejects.toThrow(/resolves to 10\.0\.0\.7, a private network address/);
    expect(received.length).toBe(before);
  });

  it("refuses a literal private URL saved before the guard existed, and plain http in production", async () => {
    const literal = await datasetWithWebhook(`http://127.0.0.1:${port}/hook`);
    await expect(deliverWebhook(handle.db, literal, payload, { policy: development })).rejects.toThrow(
      /127\.0\.0\.1: it is a loopback address/,
    );
    const plain = await datasetWithWebhook("http://hooks.example.com/hook");
    await expect(deliverWebhook(handle.db, plain, payload, { policy: strict })).rejects.toThrow(
      /must use https/,
    );
  });

  it("delivers to a private receiver only when allowed, and never follows a redirect", async () => {
    const datasetId = await datasetWithWebhook(`http://hooks.example.com:${port}/hook`);
    const resolve: Resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const before = received.length;
    await expect(
      deliverWebhook(handle.db, datasetId, payload, { resolve, policy: allowPrivate }),
    ).resolves.toEqual({ delivered: true, status: 200 });
    expect(received.slice(before)).toEqual(["POST /hook"]);

    redirectTo = "http://169.254.169.254/latest/meta-data/";
    try {
      await expect(
        deliverWebhook(handle.db, datasetId, payload, { resolve, policy: allowPrivate }),
      ).rejects.toThrow("The webhook answered 302: redirects are not followed");
      expect(received.slice(before)).toEqual(["POST /hook", "POST /hook"]);
    } finally {
      redirectTo = null;
    }
  });
});
