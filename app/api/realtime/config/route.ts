import { realtimeClientConfig } from "@/server/realtime";

/**
 * How the browser should subscribe: `{ kind: "sse" }` or Pusher's public key and host. Server
 * components can pass `realtimeClientConfig()` to `useChannel` directly and skip this request.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(realtimeClientConfig(), { headers: { "cache-control": "no-store" } });
}
