/**
 * The download routes of analytics, campaigns and reports called as Next.js calls them, signed in
 * through the real Auth.js config (session cookies from the credentials sign-in); the database,
 * storage and job runner are real.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateReport } from "@/jobs/functions/generate-report";
import { EmbeddedRunner } from "@/jobs/runner";
import type { DatabaseHandle } from "@/server/db/client";
import { auditLog } from "@/server/db/schema";
import { clearAnalyticsCache } from "@/server/services/analytics";
import { saveCampaign } from "@/server/services/campaigns";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { requestReport } from "@/server/services/reports";
import { quietLogger } from "@/server/services/training/test-helpers";
import { signInCookie } from "@/server/testing/auth-session";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { routeHandler } from "@/server/testing/request-scope";
import { createTrainedDataset, type TrainedDataset } from "@/server/testing/trained-dataset";

const session = vi.hoisted(() => ({ cookie: null as string | null, db: null as unknown }));

vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => session.db };
});

const analyticsGet = routeHandler((await import("./route")).GET);
const campaignGet = routeHandler((await import("../../campaigns/[id]/export/route")).GET);
const reportGet = routeHandler((await import("../../../api/reports/[id]/download/route")).GET);

/** A GET with the current session's cookie, if any. */
const get = (url: string) => new Request(url, { headers: session.cookie ? { cookie: session.cookie } : {} });
const analyticsExport = (request: Request) => analyticsGet(get(request.url));

describe.each(testDatabaseKinds())("analytics, campaign and report downloads on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  const users: Record<string, { id: number; email: string }> = {};
  const cookies: Record<string, string> = {};
  const as = (role: "viewer" | "manager" | null) => {
    session.cookie = role ? cookies[role] : null;
  };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    session.db = handle.db;
    clearAnalyticsCache();
    for (const role of ["viewer", "manager"] as const) {
      const created = await createUser(handle.db, role);
      users[role] = created.user;
      cookies[role] = await signInCookie(created.user.email, created.password);
    }
    trained = await createTrainedDataset(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { name: "Downloads", algorithms: ["logistic_regression"] },
    );
  }, 180_000);
  afterAll(async () => {
    session.cookie = null;
    await handle?.close();
    dataDir?.cleanup();
  });

  it("exports analytics tables as CSV to signed-in users, refusing bad columns and anonymous visitors", async () => {
    const url = (query: string) => new Request(`http://localhost/analytics/export?${query}`);
    as(null);
    expect((await analyticsExport(url(`dataset=${trained.datasetId}&table=trend`))).status).toBe(401);
    as("viewer");
    const segments = await analyticsExport(url(`dataset=${trained.datasetId}&table=segments&col=Contract`));
    expect(segments.status).toBe(200);
    expect(segments.headers.get("content-disposition")).toBe(
      'attachment; filename="Downloads-segments-Contract.csv"',
    );
    const lines = (await segments.text()).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(
      (await analyticsExport(url(`dataset=${trained.datasetId}&table=retention&by=Contract`))).status,
    ).toBe(200);
    expect((await analyticsExport(url(`dataset=${trained.datasetId}&table=segments&col=Churn`))).status).toBe(
      400,
    );
    expect((await analyticsExport(url(`dataset=${trained.datasetId}&table=nope`))).status).toBe(400);
    expect((await analyticsExport(url("dataset=987654&table=trend"))).status).toBe(404);
  });

  it("exports a saved plan's targets and downloads a finished report, audited", async () => {
    const campaign = await saveCampaign(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      {
        name: "Route plan",
        inputs: {
          datasetId: trained.datasetId,
          offerCost: 10,
          acceptanceRate: 0.3,
          value: { source: "flat", amount: 400 },
          contactCount: 12,
        },
      },
    );
    const exportOf = (id: string) =>
      campaignGet(get(`http://localhost/campaigns/${id}/export`), {
        params: Promise.resolve({ id }),
      });
    as(null);
    expect((await exportOf(String(campaign.id))).status).toBe(401);
    as("viewer");
    const targets = await exportOf(String(campaign.id));
    expect(targets.status).toBe(200);
    expect((await targets.text()).split("\r\n").filter(Boolean)).toHaveLength(13);
    expect((await exportOf("987654")).status).toBe(404);
    expect((await exportOf("x")).status).toBe(404);

    const report = await requestReport(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { datasetId: trained.datasetId },
    );
    const downloadOf = (id: string) =>
      reportGet(get(`http://localhost/api/reports/${id}/download`), {
        params: Promise.resolve({ id }),
      });
    expect((await downloadOf(String(report.id))).status).toBe(409);
    await new EmbeddedRunner({
      db: handle.db,
      functions: [generateReport],
      backoffMs: () => 0,
      logger: quietLogger,
    }).drain();
    as(null);
    expect((await downloadOf(String(report.id))).status).toBe(401);
    as("viewer");
    const pdf = await downloadOf(String(report.id));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(Number(pdf.headers.get("content-length"))).toBe(bytes.length);
    const downloads = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "report.download"), eq(auditLog.targetId, String(report.id))));
    expect(downloads.map((d) => d.actorId)).toEqual([users.viewer.id]);
    expect((await downloadOf("987654")).status).toBe(404);
  });
});
