import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RealtimeMessage } from "@/server/realtime/types";
import {
  type ChannelStatus,
  type PusherChannelLike,
  type PusherLike,
  subscribePusher,
  subscribeSse,
} from "./use-channel";

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

/** A pusher-js stand-in that records bound handlers, so a test sees what cleanup leaves behind. */
class FakePusherChannel implements PusherChannelLike {
  subscribed = false;
  readonly handlers = new Map<string, Set<(payload?: unknown) => void>>();
  readonly globals = new Set<(event: string, payload: unknown) => void>();
  bind(event: string, callback: (payload?: unknown) => void) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)?.add(callback);
  }
  unbind(event: string, callback: (payload?: unknown) => void) {
    this.handlers.get(event)?.delete(callback);
  }
  bind_global(callback: (event: string, payload: unknown) => void) {
    this.globals.add(callback);
  }
  unbind_global(callback: (event: string, payload: unknown) => void) {
    this.globals.delete(callback);
  }
  emit(event: string, payload?: unknown) {
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
    for (const handler of this.globals) handler(event, payload);
  }
  get boundCount() {
    return [...this.handlers.values()].reduce((n, set) => n + set.size, 0) + this.globals.size;
  }
}

function fakePusher() {
  const channels = new Map<string, FakePusherChannel>();
  const stateHandlers = new Set<(payload: { current: string }) => void>();
  const unsubscribed: string[] = [];
  const pusher: PusherLike = {
    subscribe: (name) => {
      if (!channels.has(name)) channels.set(name, new FakePusherChannel());
      return channels.get(name) as FakePusherChannel;
    },
    unsubscribe: (name) => void unsubscribed.push(name),
    connection: {
      state: "connected",
      bind: (_event, callback) => void stateHandlers.add(callback),
      unbind: (_event, callback) => void stateHandlers.delete(callback),
    },
  };
  return { pusher, channels, stateHandlers, unsubscribed };
}

const pusherConfig = {
  kind: "pusher" as const,
  key: "k",
  cluster: "",
  forceTLS: false,
  authEndpoint: "/api/realtime/auth",
};

describe("subscribePusher", () => {
  it("delivers messages, and unbinds every handler it bound when the component goes away", async () => {
    const fake = fakePusher();
    const messages: RealtimeMessage[] = [];
    const statuses: ChannelStatus[] = [];
    const stop = subscribePusher(
      pusherConfig,
      "training-run-7",
      (m) => messages.push(m),
      (s) => statuses.push(s),
      async () => fake.pusher,
    );
    await vi.advanceTimersByTimeAsync(0);
    const channel = fake.channels.get("private-training-run-7") as FakePusherChannel;
    channel.emit("pusher:subscription_succeeded");
    channel.emit("step", { data: { progress: 0.5 }, sentAt: 1 });
    expect(messages).toEqual([
      { channel: "training-run-7", event: "step", data: { progress: 0.5 }, sentAt: 1 },
    ]);
    expect(statuses.at(-1)).toBe("open");
    stop();
    expect(channel.boundCount).toBe(0);
    expect(fake.stateHandlers.size).toBe(0);
    expect(fake.unsubscribed).toEqual(["private-training-run-7"]);
    channel.emit("step", { data: {} });
    expect(messages).toHaveLength(1);
  });

  it("on a refused subscription (403) says unavailable and stops; on a 5xx retries with backoff", async () => {
    const fake = fakePusher();
    const statuses: ChannelStatus[] = [];
    subscribePusher(
      pusherConfig,
      "dataset-3",
      () => {},
      (s) => statuses.push(s),
      async () => fake.pusher,
    );
    await vi.advanceTimersByTimeAsync(0);
    const channel = fake.channels.get("private-dataset-3") as FakePusherChannel;
    channel.emit("pusher:subscription_error", { type: "AuthError", status: 403 });
    expect(statuses.at(-1)).toBe("unavailable");
    expect(channel.boundCount).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(channel.boundCount).toBe(0); // no retry

    const other = fakePusher();
    const otherStatuses: ChannelStatus[] = [];
    const stop = subscribePusher(
      pusherConfig,
      "dataset-4",
      () => {},
      (s) => otherStatuses.push(s),
      async () => other.pusher,
    );
    await vi.advanceTimersByTimeAsync(0);
    const flaky = other.channels.get("private-dataset-4") as FakePusherChannel;
    flaky.emit("pusher:subscription_error", { type: "AuthError", status: 503 });
    expect(otherStatuses.at(-1)).toBe("reconnecting");
    expect(flaky.boundCount).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(flaky.boundCount).toBeGreaterThan(0); // subscribed again
    flaky.emit("pusher:subscription_succeeded");
    expect(otherStatuses.at(-1)).toBe("open");
    stop();
    expect(flaky.boundCount).toBe(0);
  });
});
