import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getInProcessHub, getPublisher, resetPublisher } from "@/server/realtime";
import type { RealtimeMessage } from "@/server/realtime/types";

const session = vi.hoisted(() => ({ user: null as null | { id: number; role: string } }));
vi.mock("@/server/auth/current-user", () => ({ getCurrentUser: async () => session.user }));

const { GET } = await import("./route");
const decoder = new TextDecoder();

/** Reads SSE frames ("…\n\n") from a response body. */
function frames(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let buffer = "";
  return {
    async next(): Promise<string> {
      while (!buffer.includes("\n\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
      const end = buffer.indexOf("\n\n");
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      return frame;
    },
    reader,
  };
}

beforeEach(() => {
  session.user = { id: 1, role: "viewer" };
  resetPublisher();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("GET /api/realtime", () => {
  it("streams a published message to a signed-in subscriber, with sentAt, and cleans up on abort", async () => {
    const abort = new AbortController();
    const res = await GET(
      new Request("http://localhost/api/realtime?channel=training-run-12", { signal: abort.signal }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("cache-control")).toContain("no-cache");
    const stream = frames(res);
    expect(await stream.next()).toBe("retry: 3000\n: subscribed to training-run-12");
    expect(getInProcessHub().subscriberCount("training-run-12")).toBe(1);

    const before = Date.now();
    await getPublisher().publish("training-run-12", "progress", { step: "split", percent: 40 });
    await getPublisher().publish("training-run-13", "progress", { other: true }); // not ours
    const frame = await stream.next();
    expect(frame.startsWith("data: ")).toBe(true);
    const message = JSON.parse(frame.slice("data: ".length)) as RealtimeMessage;
    expect(message).toMatchObject({
      channel: "training-run-12",
      event: "progress",
      data: { step: "split", percent: 40 },
    });
    expect(message.sentAt).toBeGreaterThanOrEqual(before);

    abort.abort();
    expect(getInProcessHub().subscriberCount("training-run-12")).toBe(0);
    expect((await stream.reader.read()).done).toBe(true);
  });

  it.each([
    ["missing", ""],
    ["not a known pattern", "?channel=admin-secrets"],
    ["a non-numeric id", "?channel=training-run-abc"],
    ["id zero", "?channel=dataset-0"],
    ["a path", "?channel=training-run-1%2F..%2Fx"],
    ["an injected newline", "?channel=training-run-1%0Adata:%20x"],
  ])("rejects a bad channel name (%s) with 400", async (_, query) => {
    const res = await GET(new Request(`http://localhost/api/realtime${query}`));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringContaining("channel") });
    expect(getInProcessHub().subscriberCount()).toBe(0);
  });

  it("requires a session", async () => {
    session.user = null;
    const res = await GET(new Request("http://localhost/api/realtime?channel=training-run-1"));
    expect(res.status).toBe(401);
  });

  it("sends a heartbeat comment so idle connections stay open", async () => {
    const { sseResponse } = await import("@/server/realtime/sse");
    const abort = new AbortController();
    const res = sseResponse(
      new Request("http://localhost/x?channel=dataset-3", { signal: abort.signal }),
      true,
      {
        heartbeatMs: 20,
      },
    );
    const stream = frames(res);
    await stream.next(); // subscribed
    expect(await stream.next()).toBe(": heartbeat");
    abort.abort();
  });
});
