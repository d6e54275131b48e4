/**
 * Route handlers called the way Next.js calls them. Inside Next.js, `headers()` from
 * `next/headers` (which Auth.js's `auth()` reads the session cookie from) answers the current
 * request's headers out of Next's own async storage; a test has no such storage, so it replaces
 * the module with `nextHeadersStub` and calls each handler through `routeHandler`, which runs it
 * inside its request's scope:
 *
 *   vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
 *   const GET = routeHandler((await import("./route")).GET);
 *
 * Everything after `headers()` is the real thing: Auth.js decodes the cookie with the app's secret
 * and runs the app's session callback.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const currentRequest = new AsyncLocalStorage<Headers>();

/** The request's headers plus what Next.js adds from the URL when the client did not send them. */
function headersOf(request: Request): Headers {
  const headers = new Headers(request.headers);
  const url = new URL(request.url);
  if (!headers.has("host")) headers.set("host", url.host);
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  return headers;
}

function requestHeaders(): Headers {
  const headers = currentRequest.getStore();
  if (!headers) {
    throw new Error(
      "next/headers was called outside a request: call the route handler through routeHandler()",
    );
  }
  return headers;
}

/** `handler`, run inside the scope of the request it is called with. */
export function routeHandler<Req extends Request, Rest extends unknown[], Result>(
  handler: (request: Req, ...rest: Rest) => Result,
): (request: Req, ...rest: Rest) => Result {
  return (request, ...rest) => currentRequest.run(headersOf(request), () => handler(request, ...rest));
}

/** Cookies parsed from the Cookie header (read-only: route handlers here only read them). */
function requestCookies() {
  const pairs = (requestHeaders().get("cookie") ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf("=");
      return { name: at < 0 ? part : part.slice(0, at), value: at < 0 ? "" : part.slice(at + 1) };
    });
  return {
    get: (name: string) => pairs.find((c) => c.name === name),
    getAll: (name?: string) => (name === undefined ? pairs : pairs.filter((c) => c.name === name)),
    has: (name: string) => pairs.some((c) => c.name === name),
  };
}

/** The parts of `next/headers` our code and Auth.js use, answered from the current request. */
export const nextHeadersStub = {
  headers: async () => requestHeaders(),
  cookies: async () => requestCookies(),
};
