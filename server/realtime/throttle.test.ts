import { afterEach, describe, expect, it, vi } from "vitest";
import { BATCH_PROGRESS_EVENT, type BatchProgressEvent } from "../services/batch-scoring";
import { publishBatchProgress } from "../services/batch-scoring/publish";
import { channels, getInProcessHub, type RealtimeMessage, resetPublisher } from "./index";
import { ChannelThrottle, type ThrottleClock } from "./throttle";

/** A clock the test moves by hand; scheduled callbacks run when their time comes. */
function manualClock() {
  let time = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: ThrottleClock = {
    now: () => time,
    schedule: (fn, ms) => void timers.push({ at: time + ms, fn }),
  };
  return {
    clock,
    advance(ms: number) {
      time += ms;
      for (const timer of timers.filter((t) => t.at <= time)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    },
  };
}

describe("ChannelThrottle", () => {
  it("sends the first event at once, then at most one per second per channel: the latest of each window", () => {
    const { clock, advance } = manualClock();
    const throttle = new ChannelThrottle(1000, clock);
    const sent: string[] = [];
    const offer = (channel: string, label: string) =>
      throttle.offer(channel, async () => void sent.push(label));
    offer("a", "a1");
    offer("a", "a2");
    offer("a", "a3");
    offer("b", "b1"); // another channel has its own window
    expect(sent).toEqual(["a1", "b1"]);
    advance(999);
    expect(sent).toEqual(["a1", "b1"]);
    advance(1);
    expect(sent).toEqual(["a1", "b1", "a3"]); // a2 was replaced by a3
    advance(5000);
    expect(sent).toHaveLength(3);
    expect(throttle.pendingCount).toBe(0);
  });

  it("drops a channel's pending progress when a terminal event clears it", () => {
    const { clock, advance } = manualClock();
    const throttle = new ChannelThrottle(1000, clock);
    const sent: string[] = [];
    throttle.offer("a", async () => void sent.push("10%"));
    throttle.offer("a", async () => void sent.push("80%"));
    throttle.clear("a");
    advance(2000);
    expect(sent).toEqual(["10%"]);
  });

  it("does not make the caller wait for, or fail with, a slow or failing send", async () => {
    const errors: unknown[] = [];
    const throttle = new ChannelThrottle(1000, manualClock().clock, (error) => errors.push(error));
    let release = () => {};
    const started = performance.now();
    throttle.offer("slow", () => new Promise<void>((resolve) => (release = resolve)));
    throttle.offer("failing", async () => {
      throw new Error("pusher down");
    });
    expect(performance.now() - started).toBeLessThan(50);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([expect.objectContaining({ message: "pusher down" })]);
  });
});

describe("batch scoring progress on the dataset channel", () => {
  afterEach(() => {
    vi.useRealTimers();
    resetPublisher();
  });

  it("publishes rows-scored updates at most once a second, and the final status always", async () => {
    vi.useFakeTimers();
    resetPublisher();
    const received: RealtimeMessage[] = [];
    const datasetId = 987_001;
    const unsubscribe = getInProcessHub().subscribe(channels.dataset(datasetId), (message) =>
      received.push(message),
    );
    const event = (
      rowsScored: number,
      status: BatchProgressEvent["status"] = "running",
    ): BatchProgressEvent => ({
      batchId: 5,
      status,
      rowsScored,
      rowCount: 100_000,
    });
    try {
      for (let rows = 500; rows <= 10_000; rows += 500) await publishBatchProgress(datasetId, event(rows));
      await vi.advanceTimersByTimeAsync(0);
      expect(received.map((m) => (m.data as BatchProgressEvent).rowsScored)).toEqual([500]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(received.map((m) => (m.data as BatchProgressEvent).rowsScored)).toEqual([500, 10_000]);
      await publishBatchProgress(datasetId, event(20_000));
      await publishBatchProgress(datasetId, event(100_000, "succeeded"));
      await vi.advanceTimersByTimeAsync(5000);
      const statuses = received.map((m) => (m.data as BatchProgressEvent).status);
      expect(statuses.at(-1)).toBe("succeeded");
      expect(received.every((m) => m.event === BATCH_PROGRESS_EVENT)).toBe(true);
    } finally {
      unsubscribe();
    }
  });
});
