/** GET /api/openapi.json — the OpenAPI 3.1 document of the REST predict API (public, no secrets). */
import { buildOpenApiDocument } from "@/server/services/rest-api/openapi";

export const dynamic = "force-dynamic";

// Generating the schemas takes a few milliseconds; the document only changes with the code.
const documents = new Map<string, string>();

export function GET(request: Request): Response {
  const { origin } = new URL(request.url);
  let body = documents.get(origin);
  if (!body) {
    body = JSON.stringify(buildOpenApiDocument({ serverUrl: origin }));
    if (documents.size > 20) documents.clear();
    documents.set(origin, body);
  }
  return new Response(body, {
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
