import Pusher from "pusher";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "../env";
import { InProcessHub, InProcessPublisher } from "./in-process";
import { getPublisher, realtimeClientConfig, resetPublisher } from "./index";
import { authorizePusherChannel, PusherPublisher } from "./pusher";
import { channels } from "./types";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  resetPublisher();
});

function stubPusherEnv(extra: Record<string, string> = {}) {
  vi.stubEnv("PUSHER_APP_ID", "1");
  vi.stubEnv("PUSHER_KEY", "public-key");
  vi.stubEnv("PUSHER_SECRET", "very-secret");
  for (const [k, v] of Object.entries(extra)) vi.stubEnv(k, v);
  resetServerEnvCache();
  resetPublisher();
}

describe("in-process publisher", () => {
  it("delivers to the channel's subscribers only, serialising once, and isolates a failing subscriber", async () => {
    const hub = new InProcessHub();
    const publisher = new InProcessPublisher(hub);
    const got: string[] = [];
    hub.subscribe("training-run-1", () => {
      throw new Error("broken tab");
    });
    const off = hub.subscribe("training-run-1", (_m, payload) => got.push(payload));
    hub.subscribe("training-run-2", (_m, payload) => got.push(`other ${payload}`));
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    await publisher.publish(channels.trainingRun(1), "progress", { percent: 10 });
    spy.mockRestore();
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0])).toMatchObject({
      channel: "training-run-1",
      event: "progress",
      data: { percent: 10 },
    });
    off();
    expect(hub.subscriberCount("training-run-1")).toBe(1);
  });

  it("refuses a channel name that is not one of ours (a programming error)", async () => {
    await expect(new InProcessPublisher(new InProcessHub()).publish("run 1", "x", {})).rejects.toThrow();
  });

  it("is what getPublisher returns when Pusher is not configured", () => {
    expect(getPublisher().kind).toBe("sse");
    expect(realtimeClientConfig()).toEqual({ kind: "sse", endpoint: "/api/realtime" });
  });
});

describe("Pusher publisher", () => {
  it("triggers on the private channel with sentAt inside the data", async () => {
    const trigger = vi.fn().mockResolvedValue({});
    await new PusherPublisher({ trigger } as unknown as Pusher).publish("dataset-4", "imported", {
      rows: 7043,
    });
    expect(trigger).toHaveBeenCalledWith("private-dataset-4", "imported", {
      data: { rows: 7043 },
      sentAt: expect.any(Number),
    });
  });

  it("never throws when Pusher is unreachable (publishing is best effort)", async () => {
    const trigger = vi.fn().mockRejectedValue(new Error("ECONNREFUSED"));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await expect(
      new PusherPublisher({ trigger } as unknown as Pusher).publish("dataset-4", "x", {}),
    ).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it("is chosen by configuration, and the browser config carries the public key but never the secret", () => {
    stubPusherEnv({ PUSHER_HOST: "soketi.internal", PUSHER_PORT: "6001", PUSHER_USE_TLS: "false" });
    expect(getPublisher().kind).toBe("pusher");
    const config = realtimeClientConfig();
    expect(config).toEqual({
      kind: "pusher",
      key: "public-key",
      cluster: "",
      wsHost: "soketi.internal",
      wsPort: 6001,
      forceTLS: false,
      authEndpoint: "/api/realtime/auth",
    });
    expect(JSON.stringify(config)).not.toContain("very-secret");
  });

  it("authorises only our private channels and well-formed socket ids", () => {
    const client = new Pusher({ appId: "1", key: "public-key", secret: "very-secret", cluster: "mt1" });
    const ok = authorizePusherChannel(client, "123.456", "private-training-run-7");
    expect(ok?.auth).toMatch(/^public-key:[0-9a-f]{64}$/);
    expect(authorizePusherChannel(client, "123.456", "training-run-7")).toBeNull(); // public channel
    expect(authorizePusherChannel(client, "123.456", "private-admin")).toBeNull();
    expect(authorizePusherChannel(client, "not-a-socket", "private-training-run-7")).toBeNull();
  });
});
