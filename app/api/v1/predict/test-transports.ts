/**
 * The REST predict API's two transports, for tests: the route handlers as Next.js calls them (the
 * exported POST with a real Request) and the Node server's fast path (the hooks scripts/serve.mjs
 * uses, on a real node:http server). A test file using it mocks getDb (and next/server's after())
 * before importing it, as route.test.ts does.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeServerHooks } from "@/server/http/node-server-hooks";
import { POST as postMl } from "../../ml/predict/route";
import { POST as postV1 } from "./route";

export const TRANSPORTS = ["route handler", "node server"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** A server that answers like scripts/serve.mjs for the predict paths, 404 for the rest. */
export async function startNodeServer(): Promise<{ server: http.Server; port: number }> {
  const hooks = createNodeServerHooks();
  const server = http.createServer((request, response) => {
    const handler = hooks.route(request);
    if (handler) void handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * One request to the node server; `chunks` streams the body (no Content-Length) and stops writing
 * as soon as the answer arrives. Resolves with the answer and how many chunks were written.
 */
export function nodeRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string | { chunks: Uint8Array[] },
): Promise<{ response: Response; written: number }> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise<{ response: Response; written: number }>((resolve, reject) => {
    let written = 0;
    let answered = false;
    const request = http.request(
      // A keep-alive connection (as most clients use) of its own: a test that announces more body
      // than it sends must not hand its half-read connection to the next test.
      { host: "127.0.0.1", port, path, method: "POST", headers, agent },
      (incoming) => {
        answered = true;
        const parts: Buffer[] = [];
        incoming.on("data", (part: Buffer) => parts.push(part));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers))
            if (typeof value === "string") responseHeaders.set(name, value);
          const response = new Response(Buffer.concat(parts), {
            status: incoming.statusCode,
            headers: responseHeaders,
          });
          resolve({ response, written });
          request.destroy();
          agent.destroy();
        });
      },
    );
    // Writing into a connection the server already closed after answering is expected here.
    request.on("error", (error) => {
      if (answered) return;
      agent.destroy();
      reject(error);
    });
    if (typeof body === "string") {
      request.end(body);
      return;
    }
    const writeNext = () => {
      if (answered) return;
      if (written === body.chunks.length) return void request.end();
      written += 1;
      if (request.write(body.chunks[written - 1])) setImmediate(writeNext);
      else request.once("drain", writeNext);
    };
    writeNext();
  });
}

/** One call through `transport` (`port`: the node server's, when that is the transport). */
export async function callPredict(
  transport: Transport,
  port: number,
  body: unknown,
  options: { key?: string | null; path?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const path = options.path ?? "/api/v1/predict";
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const payload = options.raw ?? JSON.stringify(body);
  if (transport === "node server") return (await nodeRequest(port, path, headers, payload)).response;
  const request = new Request(`http://localhost${path}`, { method: "POST", headers, body: payload });
  return path.startsWith("/api/ml/") ? postMl(request) : postV1(request);
}
