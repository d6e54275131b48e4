import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RealtimeMessage } from "@/server/realtime/types";
import { type ChannelStatus, subscribeSse } from "./use-channel";

/** Just enough of EventSource to drive the reconnection logic without a browser. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  isClosed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  close() {
    this.isClosed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
}
const Fake = FakeEventSource as unknown as typeof EventSource;

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.instances = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe("subscribeSse", () => {
  it("opens the channel's stream and delivers parsed messages", () => {
    const got: RealtimeMessage[] = [];
    const statuses: ChannelStatus[] = [];
    const stop = subscribeSse(
      "/api/realtime",
      "training-run-3",
      (m) => got.push(m),
      (s) => statuses.push(s),
      Fake,
    );
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe("/api/realtime?channel=training-run-3");
    source.onopen?.();
    source.onmessage?.({
      data: JSON.stringify({ channel: "training-run-3", event: "progress", data: 1, sentAt: 5 }),
    });
    source.onmessage?.({ data: "not json" });
    expect(got).toEqual([{ channel: "training-run-3", event: "progress", data: 1, sentAt: 5 }]);
    expect(statuses).toEqual(["open"]);
    stop();
    expect(source.isClosed).toBe(true);
  });

  it("lets the browser retry a dropped connection, and retries itself with backoff when the server refused", () => {
    const statuses: ChannelStatus[] = [];
    const stop = subscribeSse(
      "/api/realtime",
      "dataset-1",
      () => {},
      (s) => statuses.push(s),
      Fake,
    );
    const first = FakeEventSource.instances[0];
    first.onerror?.(); // CONNECTING: EventSource reconnects by itself
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(statuses).toEqual(["reconnecting"]);

    first.readyState = FakeEventSource.CLOSED; // e.g. a 503 during a restart: EventSource gives up
    first.onerror?.();
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);

    const second = FakeEventSource.instances[1];
    second.readyState = FakeEventSource.CLOSED;
    second.onerror?.();
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1); // 2 s: doubled
    expect(FakeEventSource.instances).toHaveLength(3);

    stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(3);
  });
});
