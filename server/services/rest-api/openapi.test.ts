import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { GET } from "@/app/api/openapi.json/route";
import { buildOpenApiDocument, OPENAPI_SCHEMAS } from "./openapi";
import { API_ERROR_CODES, API_ERROR_STATUS, type ApiErrorCode, apiErrorSchema } from "./schemas";

// biome-ignore lint/suspicious/noExplicitAny: walking a generated JSON document in assertions
type Json = Record<string, any>;

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument({ serverUrl: "https://churnguard.example.com" }) as Json;

  it("is OpenAPI 3.1 with both endpoints, bearer security and every error status", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://churnguard.example.com" }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    for (const path of ["/api/v1/predict", "/api/ml/predict/"]) {
      const operation = doc.paths[path].post;
      expect(operation.security).toEqual([{ apiKey: [] }]);
      expect(Object.keys(operation.responses).sort()).toEqual(
        ["200", "400", "401", "403", "404", "413", "429", "500"].sort(),
      );
      expect(operation.responses["429"].headers).toHaveProperty("Retry-After");
      expect(operation.responses["401"].headers).toHaveProperty("WWW-Authenticate");
    }
    expect(doc.paths["/api/v1/predict"].post.description).toMatch(/percentage points/);
  });

  it("documents every error code once, under the status the API answers it with", () => {
    const documented: [string, number][] = Object.entries(
      doc.paths["/api/v1/predict"].post.responses as Json,
    ).flatMap(([status, r]: [string, Json]) =>
      Object.keys(r.content?.["application/json"]?.examples ?? {}).map((code): [string, number] => [
        code,
        Number(status),
      ]),
    );
    expect(documented.map(([code]) => code).sort()).toEqual(Object.keys(API_ERROR_CODES).sort());
    for (const [code, status] of documented)
      expect(status, code).toBe(API_ERROR_STATUS[code as ApiErrorCode]);
  });

  it("resolves every $ref to a published schema", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc.components.schemas, ref).toHaveProperty(name);
    }
  });

  it("has examples that the zod schemas accept, so the document cannot show a shape the API refuses", () => {
    let checked = 0;
    for (const [name, schema] of Object.entries(OPENAPI_SCHEMAS)) {
      const published = doc.components.schemas[name];
      for (const example of published.examples ?? []) {
        const result = (schema as z.ZodType).safeParse(example);
        expect(result.success, `${name}: ${result.error?.message}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    // The per-code error examples in the responses too.
    for (const response of Object.values(doc.paths["/api/v1/predict"].post.responses as Json)) {
      for (const example of Object.values((response as Json).content?.["application/json"]?.examples ?? {})) {
        if ((example as Json).value?.error)
          expect(apiErrorSchema.safeParse((example as Json).value).success).toBe(true);
      }
    }
  });

  it("is generated from the schemas the handler validates with (a refused field is not in the document)", () => {
    const request = doc.components.schemas.PredictRequest;
    expect(request.required.sort()).toEqual(["customer_data", "dataset_id"]);
    expect(request.additionalProperties).toBe(false);
    expect(doc.components.schemas.BatchPredictRequest.properties.customers.maxItems).toBe(1000);
  });

  it("is served at GET /api/openapi.json with the request's origin as server", async () => {
    const response = GET(new Request("http://api.test:3000/api/openapi.json"));
    expect(response.status).toBe(200);
    const served = (await response.json()) as Json;
    expect(served.servers).toEqual([{ url: "http://api.test:3000" }]);
    expect(served.paths).toHaveProperty("/api/v1/predict");
  });
});
