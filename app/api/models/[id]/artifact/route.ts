/**
 * GET /api/models/:id/artifact — the model file (pipeline + classifier JSON) for offline scoring
 * with `npm run churnguard -- predict <model.json>`. Managers and admins; audited, because the
 * file carries the training data's value ranges and categories. The bytes are checked against the
 * recorded SHA-256 before they leave.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/server/db/client";
import { models } from "@/server/db/schema";
import { errorResponse, sessionUser } from "@/server/http/route-helpers";
import { recordAudit } from "@/server/services/audit";
import { sha256Hex } from "@/server/services/models/artifacts";
import { getStorage } from "@/server/storage";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to download a model.");
  if (user.role !== "manager" && user.role !== "admin")
    return errorResponse(403, "FORBIDDEN", "Downloading a model file needs the manager role.");
  const { id } = await context.params;
  const modelId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  const [model] = modelId
    ? await db
        .select({
          id: models.id,
          version: models.version,
          algorithm: models.algorithm,
          datasetId: models.datasetId,
          artifactKey: models.artifactKey,
          artifactSha256: models.artifactSha256,
        })
        .from(models)
        .where(eq(models.id, modelId))
    : [];
  if (!model) return errorResponse(404, "NOT_FOUND", `Model ${id} does not exist.`);
  const bytes = await getStorage().getBytes(model.artifactKey);
  if (sha256Hex(bytes) !== model.artifactSha256)
    return errorResponse(500, "ARTIFACT_CORRUPT", "The stored model file does not match its checksum.");
  await recordAudit(
    db,
    { id: user.id, label: user.email },
    {
      action: "model.download",
      targetType: "model",
      targetId: model.id,
      details: { version: model.version, algorithm: model.algorithm, datasetId: model.datasetId },
    },
  );
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/json",
      "Content-Disposition": `attachment; filename="churnguard-model-${model.datasetId}-v${model.version}-${model.algorithm}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
