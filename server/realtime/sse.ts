/**
 * Server-Sent Events for one channel, fed by the in-process hub (which, with PostgreSQL, also
 * receives what the other server processes publish: pg-bus.ts). The route handler
 * (app/api/realtime/route.ts) checks the session and hands the request here.
 */
import { isOnLambda, usesPusher } from "../env";
import { getInProcessHub, type InProcessHub, joinRealtimeBus } from "./in-process";
import { channelNameSchema } from "./types";

/** Proxies and load balancers close idle connections after 30–60 s; a comment line keeps it open. */
export const HEARTBEAT_MS = 15_000;
/** A subscriber this many messages behind is disconnected (its EventSource reconnects and reloads state). */
const MAX_QUEUED_MESSAGES = 1000;

export interface SseOptions {
  hub?: InProcessHub;
  heartbeatMs?: number;
}

const json = (status: number, error: string) => Response.json({ error }, { status });

/**
 * GET ?channel=training-run-12 → a text/event-stream of that channel's messages, one `data:` line
 * of JSON (a RealtimeMessage) each, a heartbeat comment every 15 s, until the client goes away.
 * `isSignedIn` is decided by the caller (the session check lives in the route).
 */
export function sseResponse(request: Request, isSignedIn: boolean, options: SseOptions = {}): Response {
  if (!isSignedIn) return json(401, "Sign in to receive live updates.");
  if (usesPusher()) return json(409, "Live updates are delivered by Pusher here; subscribe with pusher-js.");
  // Lambda does not stream this response and an instance sees only its own events.
  if (isOnLambda())
    return json(
      503,
      "Server-Sent Events are not served on AWS Lambda; configure Pusher (PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET).",
    );
  const parsed = channelNameSchema.safeParse(new URL(request.url).searchParams.get("channel") ?? "");
  if (!parsed.success) return json(400, parsed.error.issues[0]?.message ?? "Invalid channel");
  const channel = parsed.data;
  if (!options.hub) joinRealtimeBus(); // this process now hears the others' messages (PostgreSQL)
  const hub = options.hub ?? getInProcessHub();
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let isClosed = false;
      const send = (text: string) => {
        if (isClosed) return;
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_MESSAGES) return cleanup();
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = hub.subscribe(channel, (_message, payload) => send(`data: ${payload}\n\n`));
      const heartbeat = setInterval(() => send(`: heartbeat\n\n`), heartbeatMs);
      cleanup = () => {
        if (isClosed) return;
        isClosed = true;
        clearInterval(heartbeat);
        unsubscribe();
        request.signal.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      // retry: how long EventSource waits before reconnecting; the comment flushes headers at once.
      send(`retry: 3000\n: subscribed to ${channel}\n\n`);
      if (request.signal.aborted) cleanup();
      else request.signal.addEventListener("abort", cleanup, { once: true });
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
