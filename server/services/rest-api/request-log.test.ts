import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { apiRequests } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { type ApiRequestLogRow, flushAllRequestLogs, requestLogFor } from "./request-log";

const row = (status: number): ApiRequestLogRow => ({
  apiKeyId: null,
  endpoint: "/api/v1/predict",
  datasetId: 1,
  modelId: null,
  modelVersion: null,
  status,
  errorCode: status === 200 ? null : "invalid_body",
  customers: 1,
  latencyMs: 1.5,
});

describe.each(testDatabaseKinds())("API request log on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("buffers rows and writes them within about a second, without being asked", async () => {
    await handle.db.delete(apiRequests);
    const log = requestLogFor(handle.db);
    log.add(row(200));
    log.add(row(400));
    expect(await handle.db.select().from(apiRequests)).toHaveLength(0);
    const deadline = Date.now() + 5_000;
    let rows = await handle.db.select().from(apiRequests);
    while (rows.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await handle.db.select().from(apiRequests);
    }
    expect(rows.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(log.pending).toBe(0);
  });

  it("writes at once when 200 rows are waiting, and flushAllRequestLogs empties every buffer", async () => {
    await handle.db.delete(apiRequests);
    const log = requestLogFor(handle.db);
    for (let i = 0; i < 200; i++) log.add(row(200));
    expect(log.pending).toBe(0);
    log.add(row(429));
    expect(log.pending).toBe(1);
    await flushAllRequestLogs();
    await log.flush();
    expect(await handle.db.select().from(apiRequests)).toHaveLength(201);
  });
});
