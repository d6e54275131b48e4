import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "@/server/env";
import { resetPublisher } from "@/server/realtime";

const session = vi.hoisted(() => ({ user: null as null | { id: number } }));
vi.mock("@/server/auth/current-user", () => ({ getCurrentUser: async () => session.user }));
const { POST } = await import("./route");

const post = (body: Record<string, string>) =>
  POST(
    new Request("http://localhost/api/realtime/auth", { method: "POST", body: new URLSearchParams(body) }),
  );

beforeEach(() => {
  session.user = { id: 1 };
  vi.stubEnv("PUSHER_APP_ID", "1");
  vi.stubEnv("PUSHER_KEY", "public-key");
  vi.stubEnv("PUSHER_SECRET", "very-secret");
  resetServerEnvCache();
  resetPublisher();
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  resetPublisher();
});

describe("POST /api/realtime/auth (Pusher private channels)", () => {
  it("signs a signed-in user's subscription to one of our channels", async () => {
    const res = await post({ socket_id: "1.2", channel_name: "private-training-run-5" });
    expect(res.status).toBe(200);
    expect((await res.json()).auth).toMatch(/^public-key:/);
  });

  it("refuses anonymous users and foreign channels", async () => {
    expect((await post({ socket_id: "1.2", channel_name: "private-something-else" })).status).toBe(403);
    session.user = null;
    expect((await post({ socket_id: "1.2", channel_name: "private-training-run-5" })).status).toBe(401);
  });

  it("answers 404 when Pusher is not configured", async () => {
    vi.unstubAllEnvs();
    resetServerEnvCache();
    resetPublisher();
    expect((await post({ socket_id: "1.2", channel_name: "private-training-run-5" })).status).toBe(404);
  });
});
