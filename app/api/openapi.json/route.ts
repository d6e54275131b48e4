/** GET /api/openapi.json — the OpenAPI 3.1 document of the REST predict API (public, no secrets). */
import { buildOpenApiDocument } from "@/server/services/rest-api/openapi";

export const dynamic = "force-dynamic";

export function GET(request: Request): Response {
  const { origin } = new URL(request.url);
  return Response.json(buildOpenApiDocument({ serverUrl: origin }), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
