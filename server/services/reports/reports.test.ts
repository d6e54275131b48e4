import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateReport } from "@/jobs/functions/generate-report";
import { EmbeddedRunner } from "@/jobs/runner";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, reports } from "../../db/schema";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { clearAnalyticsCache, exploreSegments } from "../analytics";
import { saveCampaign } from "../campaigns";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { quietLogger } from "../training/test-helpers";
import { openReportDownload, pdfText, ReportNotReadyError } from ".";

/** pdftotext / pdfinfo (poppler-utils) on the bytes: what a reader of the file sees. */
function readPdf(bytes: Uint8Array) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "churnguard-report-"));
  try {
    const file = path.join(dir, "report.pdf");
    writeFileSync(file, bytes);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    const title = /^Title:\s+(.*)$/m.exec(info)?.[1]?.trim();
    return { pages, title, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bytesOf(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

describe.each(testDatabaseKinds())("executive PDF report on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let users: Record<"manager" | "viewer", Awaited<ReturnType<typeof createUser>>["user"]>;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    clearAnalyticsCache();
    users = {
      manager: (await createUser(handle.db, "manager")).user,
      viewer: (await createUser(handle.db, "viewer")).user,
    };
    trained = await createTrainedDataset(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { name: "Report Telco", algorithms: ["logistic_regression"] },
    );
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("is generated as a durable job: cover, key figures, top customers, the campaign and a model card", async () => {
    const actor = { id: users.manager.id, label: users.manager.email };
    const campaign = await saveCampaign(handle.db, actor, {
      name: "Spring save calls",
      inputs: {
        datasetId: trained.datasetId,
        offerCost: 15,
        acceptanceRate: 0.25,
        value: { source: "monthly", months: 12 },
        contactCount: 40,
      },
    });
    await expect(
      callerFor(handle.db, users.viewer).reports.generate({ datasetId: trained.datasetId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const manager = callerFor(handle.db, users.manager);
    const requested = await manager.reports.generate({
      datasetId: trained.datasetId,
      campaignId: campaign.id,
    });
    expect(requested.status).toBe("queued");
    const runner = new EmbeddedRunner({
      db: handle.db,
      functions: [generateReport],
      backoffMs: () => 0,
      logger: quietLogger,
    });
    await runner.drain();
    const report = await callerFor(handle.db, users.viewer).reports.get({ reportId: requested.id });
    expect(report).toMatchObject({
      status: "succeeded",
      progress: 1,
      campaignName: "Spring save calls",
    });

    const download = await openReportDownload(
      handle.db,
      { id: users.viewer.id, label: users.viewer.email },
      requested.id,
    );
    expect(download.fileName).toMatch(/^churnguard-Report-Telco-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = await bytesOf(download.body);
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const pdf = readPdf(bytes);
    expect(pdf.pages).toBe(5);
    expect(pdf.title).toBe("Churn risk report - Report Telco");
    const totals = (await exploreSegments(handle.db, { datasetId: trained.datasetId, columns: ["Contract"] }))
      .totals;
    const text = pdf.text.replace(/\s+/g, " ");
    expect(text).toContain("Report Telco (version 2, 600 customers)");
    expect(text).toContain(`Prepared by ${users.manager.name}`);
    expect(text).toContain("Where churn risk stands");
    // A figure box's number and its words are laid out side by side: look for them close together.
    const near = (value: string, words: string) =>
      expect(text).toMatch(new RegExp(`\\b${value.replace(/[$,.]/g, "\\$&")}\\b.{0,160}${words}`));
    near(String(totals?.active.toLocaleString("en-US")), "active customers: still with you");
    near(String(totals?.lost.toLocaleString("en-US")), "customers already lost");
    near(String(totals?.highRisk.toLocaleString("en-US")), "active customers at high risk");
    expect(text).toContain(`${(((totals?.lost ?? 0) / 600) * 100).toFixed(1)} % of customers with a`);
    expect(text).toContain("The 20 riskiest active customers");
    expect(text).toContain("Campaign plan: Spring save calls");
    near("40", "customers to contact");
    expect(text).toContain("Model card");
    expect(text).toContain("F1 (churn class)");
    expect(text).toContain("Known limits");
    expect(text).toContain("page 5 of 5");

    const audits = await handle.db
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "report"), eq(auditLog.targetId, String(requested.id))));
    expect(audits).toEqual(
      expect.arrayContaining([
        { action: "report.generate", actorId: users.manager.id },
        { action: "report.download", actorId: users.viewer.id },
      ]),
    );
    expect(await getStorage().exists(`reports/${requested.id}/report.pdf`)).toBe(true);
  });

  it("lists reports for everyone, refuses unfinished downloads and datasets without a model", async () => {
    const manager = callerFor(handle.db, users.manager);
    const pending = await manager.reports.generate({ datasetId: trained.datasetId, title: "Weekly" });
    await expect(
      openReportDownload(handle.db, { id: users.viewer.id, label: users.viewer.email }, pending.id),
    ).rejects.toBeInstanceOf(ReportNotReadyError);
    const list = await callerFor(handle.db, users.viewer).reports.list({ datasetId: trained.datasetId });
    expect(list[0]).toMatchObject({ id: pending.id, title: "Weekly", status: "queued" });
    await expect(manager.reports.generate({ datasetId: 987_654 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      manager.reports.generate({ datasetId: trained.datasetId, campaignId: 987_654 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(callerFor(handle.db, null).reports.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await handle.db.delete(reports).where(eq(reports.id, pending.id));
  });

  it("writes only what the PDF standard fonts can show", () => {
    expect(pdfText("risk ≥ 60 % → call; −5 pts; ₹1,200; € ok")).toBe(
      "risk >= 60 % -> call; -5 pts; ?1,200; € ok",
    );
  });
});
