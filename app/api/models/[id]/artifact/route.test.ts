/** The model download route as Next.js calls it, with real Auth.js session cookies and a real database. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChurnModel } from "@/lib/ml/churn-model";
import type { DatabaseHandle } from "@/server/db/client";
import { listAudit } from "@/server/services/audit";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { loadPredictor, Predictor } from "@/server/services/predictions";
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

const GET = routeHandler((await import("./route")).GET);
const download = (id: string) =>
  GET(
    new Request(`http://localhost/api/models/${id}/artifact`, {
      headers: session.cookie ? { cookie: session.cookie } : {},
    }),
    { params: Promise.resolve({ id }) },
  );

describe.each(testDatabaseKinds())("model download on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let managerId: number;
  let managerCookie: string;
  let viewerCookie: string;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    session.db = handle.db;
    const { user: manager, password } = await createUser(handle.db, "manager");
    const viewer = await createUser(handle.db, "viewer");
    managerId = manager.id;
    managerCookie = await signInCookie(manager.email, password);
    viewerCookie = await signInCookie(viewer.user.email, viewer.password);
    trained = await createTrainedDataset(
      handle.db,
      { id: manager.id, label: manager.email },
      { name: "Download" },
    );
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("gives managers the champion's file, which scores exactly like the app, and audits it", async () => {
    session.cookie = managerCookie;
    const response = await download(String(trained.championId));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="churnguard-model-\d+-v\d+-/,
    );
    const model = ChurnModel.fromJSON(await response.json());
    const [header, first] = trained.csv.split("\n");
    const values = first.split(",");
    const customer = Object.fromEntries(header.split(",").map((c, i) => [c, values[i]]));
    const app = (await loadPredictor(handle.db, trained.datasetId)).predict([customer], { strict: false })[0];
    const offline = Predictor.fromModel(model).predict([customer], { strict: false })[0];
    expect(offline.riskScore).toBe(app.riskScore);
    const { entries } = await listAudit(handle.db, { action: "model.download", limit: 5 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: managerId, targetId: String(trained.championId) });
  });

  it("refuses anonymous (401) and viewers (403), and says when the model does not exist (404)", async () => {
    session.cookie = null;
    expect((await download(String(trained.championId))).status).toBe(401);
    session.cookie = viewerCookie;
    expect((await download(String(trained.championId))).status).toBe(403);
    session.cookie = managerCookie;
    expect((await download("999999")).status).toBe(404);
    expect((await download("1;drop")).status).toBe(404);
  });
});
