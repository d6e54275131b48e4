/**
 * Who may call what, for every route handler in app/ (found on the file system, so a new
 * route.ts without an entry here fails): each is called as Next.js calls it, by an anonymous
 * visitor, a viewer, a manager and an admin signed in through the real Auth.js config, and by a
 * program holding an API key. A caller below the route's minimum gets 401 (not signed in, or only
 * a key where a session is needed) or 403; everyone else gets past the guard to the status the
 * probe request earns (a missing parameter, an unknown id), never a refusal.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import type { Role } from "@/server/db/schema";
import { resetServerEnvCache } from "@/server/env";
import { resetPublisher } from "@/server/realtime";
import { createApiKey } from "@/server/services/api-keys";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { requestLogFor } from "@/server/services/rest-api/request-log";
import { signInCookie } from "@/server/testing/auth-session";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { routeHandler } from "@/server/testing/request-scope";

const app = vi.hoisted(() => ({ handle: null as unknown }));
vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
// A marker that refuses to load outside React Server Components; these handlers run on the server.
vi.mock("server-only", () => ({}));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  const handle = () => app.handle as DatabaseHandle;
  return { ...original, getDb: async () => handle().db, getDatabase: async () => handle() };
});

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof HTTP_METHODS)[number];

/**
 * "public": anyone; a role: a session of that role or above; "api key": an API key, never a
 * session; "inngest": Inngest's signed calls only (off, 404, unless Inngest is configured).
 */
type Access = "public" | Role | "api key" | "inngest";

interface Probe {
  method: Method;
  url: string;
  /** Dynamic route segments, as Next.js passes them. */
  params?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  access: Access;
  /** The status a caller who may call the route gets for this request. */
  allowed: number;
}

const predictBody = JSON.stringify({ customer_data: { tenure: 3 }, dataset_id: 999_999 });

/** Every route.ts under app/, by its path: the requests that probe each exported method. */
const ROUTES: Record<string, Probe[]> = {
  "app/(app)/analytics/export/route.ts": [
    { method: "GET", url: "/analytics/export", access: "viewer", allowed: 400 }, // no dataset chosen
  ],
  "app/(app)/campaigns/[id]/export/route.ts": [
    {
      method: "GET",
      url: "/campaigns/999999/export",
      params: { id: "999999" },
      access: "viewer",
      allowed: 404,
    },
  ],
  "app/(app)/admin/audit/export/route.ts": [
    { method: "GET", url: "/admin/audit/export?from=not-a-date", access: "admin", allowed: 400 },
  ],
  "app/(app)/customers/export/route.ts": [
    { method: "GET", url: "/customers/export", access: "viewer", allowed: 400 },
  ],
  "app/api/auth/[...nextauth]/route.ts": [
    { method: "GET", url: "/api/auth/session", access: "public", allowed: 200 },
    // Without the CSRF token Auth.js sends everyone back to the sign-in page.
    {
      method: "POST",
      url: "/api/auth/callback/credentials",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40example.com&password=x",
      access: "public",
      allowed: 302,
    },
  ],
  "app/api/datasets/uploads/route.ts": [
    {
      method: "POST",
      url: "/api/datasets/uploads?name=a.csv",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "--x--\r\n",
      access: "manager",
      allowed: 415,
    },
  ],
  "app/api/health/route.ts": [{ method: "GET", url: "/api/health", access: "public", allowed: 200 }],
  "app/api/inngest/route.ts": [
    { method: "GET", url: "/api/inngest", access: "inngest", allowed: 404 },
    { method: "POST", url: "/api/inngest", body: "{}", access: "inngest", allowed: 404 },
    { method: "PUT", url: "/api/inngest", access: "inngest", allowed: 404 },
  ],
  // The probe key holds metrics:read; a key without it gets 403 (app/api/metrics/route.test.ts).
  "app/api/metrics/route.ts": [{ method: "GET", url: "/api/metrics", access: "api key", allowed: 200 }],
  "app/api/ml/predict/route.ts": [
    {
      method: "POST",
      url: "/api/ml/predict/",
      headers: { "content-type": "application/json" },
      body: predictBody,
      access: "api key",
      allowed: 404,
    },
  ],
  "app/api/models/[id]/artifact/route.ts": [
    {
      method: "GET",
      url: "/api/models/999999/artifact",
      params: { id: "999999" },
      access: "manager",
      allowed: 404,
    },
  ],
  "app/api/openapi.json/route.ts": [
    { method: "GET", url: "/api/openapi.json", access: "public", allowed: 200 },
  ],
  "app/api/realtime/auth/route.ts": [
    {
      method: "POST",
      url: "/api/realtime/auth",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "socket_id=1.2&channel_name=private-training-run-5",
      access: "viewer",
      allowed: 404, // Pusher is not configured
    },
  ],
  "app/api/realtime/config/route.ts": [
    { method: "GET", url: "/api/realtime/config", access: "public", allowed: 200 },
  ],
  "app/api/realtime/route.ts": [{ method: "GET", url: "/api/realtime", access: "viewer", allowed: 400 }],
  "app/api/reports/[id]/download/route.ts": [
    {
      method: "GET",
      url: "/api/reports/999999/download",
      params: { id: "999999" },
      access: "viewer",
      allowed: 404,
    },
  ],
  "app/api/score-batches/[id]/download/route.ts": [
    {
      method: "GET",
      url: "/api/score-batches/999999/download",
      params: { id: "999999" },
      access: "viewer",
      allowed: 404,
    },
  ],
  "app/api/score-batches/route.ts": [
    {
      method: "POST",
      url: "/api/score-batches?name=a.csv",
      headers: { "content-type": "text/csv" },
      body: "tenure\n3\n",
      access: "manager",
      allowed: 400, // no dataset chosen
    },
  ],
  // Local storage in this matrix: direct uploads are S3-only (409), unknown uploads 404.
  "app/api/uploads/route.ts": [
    {
      method: "POST",
      url: "/api/uploads",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ purpose: "dataset", fileName: "a.csv", sizeBytes: 10 }),
      access: "manager",
      allowed: 409,
    },
  ],
  "app/api/uploads/[id]/route.ts": [
    {
      method: "GET",
      url: "/api/uploads/00000000-0000-4000-8000-000000000000",
      params: { id: "00000000-0000-4000-8000-000000000000" },
      access: "manager",
      allowed: 404,
    },
    {
      method: "DELETE",
      url: "/api/uploads/00000000-0000-4000-8000-000000000000",
      params: { id: "00000000-0000-4000-8000-000000000000" },
      access: "manager",
      allowed: 204,
    },
  ],
  "app/api/uploads/[id]/complete/route.ts": [
    {
      method: "POST",
      url: "/api/uploads/00000000-0000-4000-8000-000000000000/complete",
      params: { id: "00000000-0000-4000-8000-000000000000" },
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parts: [{ partNumber: 1, etag: "x" }] }),
      access: "manager",
      allowed: 409,
    },
  ],
  // The procedures themselves are covered by server/trpc/role-matrix.test.ts; this checks that the
  // HTTP context reads the session and the user's current role.
  "app/api/trpc/[trpc]/route.ts": [
    {
      method: "GET",
      url: "/api/trpc/users.list",
      params: { trpc: "users.list" },
      access: "admin",
      allowed: 200,
    },
    {
      method: "POST",
      url: "/api/trpc/settings.setRiskBands",
      params: { trpc: "settings.setRiskBands" },
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { medium: 0.9, high: 0.1 } }),
      access: "admin",
      allowed: 400,
    },
  ],
  "app/api/v1/datasets/[id]/versions/route.ts": [
    // An unknown dataset: the key's scope (datasets:write, given to the probe key) is checked first.
    {
      method: "POST",
      url: "/api/v1/datasets/999999/versions",
      params: { id: "999999" },
      headers: { "content-type": "text/csv" },
      body: "a,b\n1,2\n",
      access: "api key",
      allowed: 404,
    },
  ],
  "app/api/v1/events/route.ts": [
    // An event for an unknown dataset: the key (events:write, given to the probe key) passes first.
    {
      method: "POST",
      url: "/api/v1/events",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        customer_id: "7590-VHVEG",
        dataset_id: 999999,
        type: "plan_change",
        at: "2026-01-01T00:00:00Z",
        changes: { Contract: "One year" },
      }),
      access: "api key",
      allowed: 404,
    },
  ],
  "app/api/v1/predict/route.ts": [
    {
      method: "POST",
      url: "/api/v1/predict",
      headers: { "content-type": "application/json" },
      body: predictBody,
      access: "api key",
      allowed: 404,
    },
  ],
};

const CALLERS = ["anonymous", "viewer", "manager", "admin", "api key"] as const;
type Caller = (typeof CALLERS)[number];
const RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

/** The status `caller` must get from a probe: the probe's own, or the refusal. */
function expectedStatus(probe: Probe, caller: Caller): number {
  switch (probe.access) {
    case "public":
    case "inngest":
      return probe.allowed;
    case "api key":
      return caller === "api key" ? probe.allowed : 401;
    default:
      if (caller === "anonymous" || caller === "api key") return 401;
      return RANK[caller] >= RANK[probe.access] ? probe.allowed : 403;
  }
}

const REPOSITORY = path.resolve(import.meta.dirname, "..");

function routeFiles(): string[] {
  return readdirSync(path.join(REPOSITORY, "app"), { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => `app/${file.split(path.sep).join("/")}`)
    .sort();
}

type Handler = (
  request: NextRequest,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

async function handlersOf(file: string): Promise<Map<Method, Handler>> {
  const module = (await import(/* @vite-ignore */ path.join(REPOSITORY, file))) as Record<string, unknown>;
  const handlers = new Map<Method, Handler>();
  for (const method of HTTP_METHODS) {
    const handler = module[method];
    if (typeof handler === "function") handlers.set(method, routeHandler(handler as Handler));
  }
  return handlers;
}

describe("the route table", () => {
  it("lists every route handler in app/, with a probe for each method it exports", async () => {
    const files = routeFiles();
    expect(
      files.filter((file) => !(file in ROUTES)),
      "route handlers without an entry in ROUTES (write down who may call them)",
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((file) => !files.includes(file)),
      "ROUTES entries for route files that no longer exist",
    ).toEqual([]);
    for (const file of files) {
      const exported = [...(await handlersOf(file)).keys()].sort();
      const probed = [...new Set(ROUTES[file].map((p) => p.method))].sort();
      expect(probed, `${file}: exported methods vs probed methods`).toEqual(exported);
    }
  });
});

describe.each(testDatabaseKinds())("route handlers by caller on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  const credentials = new Map<Caller, Record<string, string>>();

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    app.handle = handle;
    credentials.set("anonymous", {});
    for (const role of ["viewer", "manager", "admin"] as const) {
      const { user, password } = await createUser(handle.db, role);
      credentials.set(role, { cookie: await signInCookie(user.email, password) });
    }
    const { user: keyOwner } = await createUser(handle.db, "admin");
    const key = await createApiKey(
      handle.db,
      { id: keyOwner.id, label: keyOwner.email },
      {
        name: "Route matrix",
        scopes: ["predict", "predict:batch", "datasets:write", "events:write", "metrics:read"],
      },
    );
    credentials.set("api key", { authorization: `Bearer ${key.secret}` });
  });
  afterAll(async () => {
    // The predict routes log each call in a buffer written a moment later: write it before closing.
    if (handle) await requestLogFor(handle.db).flush();
    await handle?.close();
    dataDir?.cleanup();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetServerEnvCache();
    resetPublisher();
  });

  async function call(file: string, probe: Probe, caller: Caller): Promise<Response> {
    const handler = (await handlersOf(file)).get(probe.method) as Handler;
    const request = new NextRequest(`http://localhost${probe.url}`, {
      method: probe.method,
      headers: { ...probe.headers, ...credentials.get(caller) },
      body: probe.body,
    });
    return handler(request, { params: Promise.resolve(probe.params ?? {}) });
  }

  const cases = Object.entries(ROUTES).flatMap(([file, probes]) =>
    probes.map((probe) => ({ name: `${probe.method} ${file} (${probe.access})`, file, probe })),
  );

  it.each(cases)("$name answers each caller as its access says", async ({ file, probe }) => {
    const seen: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const caller of CALLERS) {
      const response = await call(file, probe, caller);
      await response.body?.cancel();
      seen[caller] = response.status;
      expected[caller] = expectedStatus(probe, caller);
    }
    expect(seen).toEqual(expected);
  });

  it("gives a signed-in caller a session with their own id and current role, and an anonymous one none", async () => {
    const file = "app/api/auth/[...nextauth]/route.ts";
    const probe = ROUTES[file][0];
    expect(await (await call(file, probe, "anonymous")).json()).toBeNull();
    for (const role of ["viewer", "manager", "admin"] as const) {
      const session = await (await call(file, probe, role)).json();
      expect(session.user).toMatchObject({ role, id: expect.stringMatching(/^\d+$/) });
      expect(session.user.email).toMatch(new RegExp(`^${role}-`));
    }
  });

  it("refuses unsigned calls to /api/inngest from everyone once Inngest is configured", async () => {
    vi.stubEnv("INNGEST_EVENT_KEY", "event-key");
    vi.stubEnv("INNGEST_SIGNING_KEY", `signkey-prod-${"ab".repeat(32)}`);
    resetServerEnvCache();
    const file = "app/api/inngest/route.ts";
    // Inngest logs each refused call; keep the output quiet.
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // PUT would register the app with Inngest's cloud, so it is not sent from a test.
      for (const probe of ROUTES[file].filter((p) => p.method !== "PUT")) {
        for (const caller of CALLERS) {
          const response = await call(file, probe, caller);
          expect(response.status, `${probe.method} as ${caller}`).toBe(401);
        }
      }
    } finally {
      logged.mockRestore();
    }
  });
});
