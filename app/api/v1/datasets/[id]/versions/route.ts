/**
 * POST /api/v1/datasets/{id}/versions — the raw CSV as the body becomes the dataset's next
 * version (API key with the `datasets:write` scope). The work is in
 * server/services/rest-api/dataset-versions.ts.
 */
import { getDb } from "@/server/db/client";
import { chunksOf } from "@/server/http/route-helpers";
import { answerVersionUpload } from "@/server/services/rest-api/dataset-versions";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await context.params;
  const name = new URL(request.url).searchParams.get("name") ?? request.headers.get("x-file-name");
  let fileName: string | null = null;
  try {
    fileName = name ? decodeURIComponent(name) : null;
  } catch {
    fileName = name;
  }
  const answer = await answerVersionUpload(await getDb(), {
    authorization: request.headers.get("authorization"),
    datasetId: id,
    contentType: request.headers.get("content-type"),
    contentLength: request.headers.get("content-length"),
    fileName,
    body: request.body ? chunksOf(request.body) : null,
  });
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}
