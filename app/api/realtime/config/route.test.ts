/** GET /api/realtime/config: how the browser subscribes, and never a server secret. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "@/server/env";
import { GET } from "./route";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

function configure(env: Record<string, string>) {
  for (const name of [
    "PUSHER_APP_ID",
    "PUSHER_KEY",
    "PUSHER_SECRET",
    "PUSHER_CLUSTER",
    "PUSHER_HOST",
    "PUSHER_PORT",
  ])
    vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetServerEnvCache();
}

describe("GET /api/realtime/config", () => {
  it("points the browser at Server-Sent Events when Pusher is not configured, never cached", async () => {
    configure({});
    const response = GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ kind: "sse", endpoint: "/api/realtime" });
  });

  it("gives Pusher's public key and host, but not the app id or the secret", async () => {
    configure({
      PUSHER_APP_ID: "424242",
      PUSHER_KEY: "public-key",
      PUSHER_SECRET: "very-secret-value",
      PUSHER_HOST: "soketi.internal",
      PUSHER_PORT: "6001",
      PUSHER_USE_TLS: "false",
    });
    const text = await GET().text();
    expect(JSON.parse(text)).toEqual({
      kind: "pusher",
      key: "public-key",
      cluster: "",
      wsHost: "soketi.internal",
      wsPort: 6001,
      forceTLS: false,
      authEndpoint: "/api/realtime/auth",
    });
    expect(text).not.toContain("very-secret-value");
    expect(text).not.toContain("424242");
  });

  it("uses Pusher's cloud cluster when no host is given", async () => {
    configure({ PUSHER_APP_ID: "1", PUSHER_KEY: "k", PUSHER_SECRET: "s", PUSHER_CLUSTER: "eu" });
    expect(await GET().json()).toMatchObject({ kind: "pusher", key: "k", cluster: "eu", forceTLS: true });
  });
});
