/**
 * Realtime across server processes: two buses on two connections stand for two `npm start`
 * workers. A message published in one must reach an SSE subscriber of the other (PostgreSQL only:
 * LISTEN/NOTIFY between connections; PGlite is one process by construction).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { busRelay, InProcessHub, InProcessPublisher, relayBusToHub } from "./in-process";
import { MAX_BUS_PAYLOAD_BYTES, openPgBus, type PgBus, PgBus as PgBusClass } from "./pg-bus";
import { sseResponse } from "./sse";
import { channels } from "./types";

const url = process.env.DATABASE_URL;

/** Reads the SSE body until a `data:` line arrives (or fails after `ms`). */
async function nextData(body: ReadableStream<Uint8Array>, ms = 5_000): Promise<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no SSE data in time")), ms)),
      ]);
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      const line = text.split("\n").find((l) => l.startsWith("data: "));
      if (line) return JSON.parse(line.slice("data: ".length));
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error(`no SSE data; got ${JSON.stringify(text)}`);
}

describe.skipIf(!url)("realtime across two processes (PostgreSQL LISTEN/NOTIFY)", () => {
  // A channel of this test's own: other test files and servers may share the database.
  const channel = `churnguard_bus_test_${randomUUID().replaceAll("-", "")}`;
  let first: PgBus;
  let second: PgBus;

  beforeAll(async () => {
    [first, second] = await Promise.all([
      openPgBus(url as string, channel),
      openPgBus(url as string, channel),
    ]);
    await Promise.all([first.listening(), second.listening()]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it("delivers what one process publishes to the other process's SSE subscriber, once", async () => {
    const hubOfFirst = new InProcessHub();
    const hubOfSecond = new InProcessHub();
    const off = relayBusToHub(second, hubOfSecond);
    const offFirst = relayBusToHub(first, hubOfFirst);
    const request = new Request(`http://localhost/api/realtime?channel=${channels.trainingRun(7)}`);
    const response = sseResponse(request, true, { hub: hubOfSecond });
    expect(response.status).toBe(200);
    expect(hubOfSecond.subscriberCount(channels.trainingRun(7))).toBe(1);

    const localCopies: unknown[] = [];
    hubOfFirst.subscribe(channels.trainingRun(7), (m) => localCopies.push(m));
    const publisher = new InProcessPublisher(hubOfFirst, busRelay(first));
    await publisher.publish(channels.trainingRun(7), "progress", { step: "boosting", percent: 40 });

    const received = await nextData(response.body as ReadableStream<Uint8Array>);
    expect(received).toMatchObject({
      channel: "training-run-7",
      event: "progress",
      data: { step: "boosting", percent: 40 },
    });
    // The publishing process delivered locally and ignores its own NOTIFY: one copy, not two.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(localCopies).toHaveLength(1);
    off();
    offFirst();
    await response.body?.cancel();
    expect(hubOfSecond.subscriberCount()).toBe(0);
  });

  it("keeps one process's messages in the order it sent them", async () => {
    const got: number[] = [];
    const off = second.on("order", (data) => got.push(data as number));
    for (let i = 0; i < 50; i++) void first.send("order", i);
    await vi.waitFor(() => expect(got).toHaveLength(50), { timeout: 5_000 });
    expect(got).toEqual([...Array(50).keys()]);
    off();
  });

  it("drops a message too large for NOTIFY with a warning instead of failing the publisher", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const got: unknown[] = [];
    const off = second.on("big", (data) => got.push(data));
    await expect(first.send("big", "x".repeat(MAX_BUS_PAYLOAD_BYTES))).resolves.toBeUndefined();
    await first.send("big", "small");
    await vi.waitFor(() => expect(got).toEqual(["small"]), { timeout: 5_000 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("too large for NOTIFY"));
    warn.mockRestore();
    off();
  });

  it("ignores a relayed message for a channel that is not one of ours", async () => {
    const hub = new InProcessHub();
    const got: unknown[] = [];
    hub.subscribe("training-run-9", (m) => got.push(m));
    const off = relayBusToHub(second, hub);
    await first.send("realtime", { channel: "admin secrets", event: "x", data: 1, sentAt: 0 });
    await first.send("realtime", { channel: "training-run-9", event: "done", data: 2, sentAt: 0 });
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 5_000 });
    expect(got[0]).toMatchObject({ channel: "training-run-9", event: "done" });
    off();
  });
});

describe("process bus without a database", () => {
  it("never throws when NOTIFY fails (best effort, like realtime publishing)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const bus = new PgBusClass({
      listen: async () => ({ unlisten: async () => {} }),
      notify: () => Promise.reject(new Error("connection refused")),
      end: async () => {},
    });
    await expect(bus.send("realtime", { a: 1 })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("NOTIFY realtime failed"), expect.any(Error));
    warn.mockRestore();
  });
});
