"use client";

/**
 * Live messages of one channel in the browser, whichever realtime backend the server uses:
 *
 *   const { status } = useChannel(`training-run-${runId}`, (message) => {
 *     if (message.event === "progress") setProgress(message.data as Progress);
 *   });
 *
 * With Pusher configured it subscribes with pusher-js (private channel, authorised by
 * /api/realtime/auth); otherwise it opens an EventSource on /api/realtime. Both reconnect by
 * themselves: EventSource after a dropped connection, and this hook (with backoff up to 30 s) when
 * the server refused the stream (e.g. after a restart or a 5xx). Messages carry `sentAt`, so
 * `Date.now() - message.sentAt` is the delivery latency. Pass `config` from a server component
 * (`realtimeClientConfig()` from server/realtime) to skip the config request; pass `null` as the
 * channel to subscribe to nothing. Missed messages are not replayed: load the current state
 * (e.g. with tRPC) on mount and on `status` becoming "open" again, and treat messages as updates.
 */
import { useEffect, useRef, useState } from "react";
import type { RealtimeClientConfig, RealtimeMessage } from "@/server/realtime/types";

export type ChannelStatus = "idle" | "connecting" | "open" | "reconnecting";

const PUSHER_PREFIX = "private-";
const MAX_RETRY_MS = 30_000;

let configPromise: Promise<RealtimeClientConfig> | null = null;

function loadConfig(): Promise<RealtimeClientConfig> {
  configPromise ??= fetch("/api/realtime/config", { credentials: "same-origin" })
    .then((r) => {
      if (!r.ok) throw new Error(`realtime config: HTTP ${r.status}`);
      return r.json() as Promise<RealtimeClientConfig>;
    })
    .catch((error) => {
      configPromise = null; // try again on the next mount
      throw error;
    });
  return configPromise;
}

type Unsubscribe = () => void;
type Listener = (message: RealtimeMessage) => void;
type SetStatus = (status: ChannelStatus) => void;

/** EventSource subscription with reconnection; exported for tests (which pass a fake EventSource). */
export function subscribeSse(
  endpoint: string,
  channel: string,
  onMessage: Listener,
  setStatus: SetStatus,
  EventSourceClass: typeof EventSource = EventSource,
): Unsubscribe {
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let isClosed = false;

  const open = () => {
    if (isClosed) return;
    source = new EventSourceClass(`${endpoint}?channel=${encodeURIComponent(channel)}`, {
      withCredentials: true,
    });
    source.onopen = () => {
      failures = 0;
      setStatus("open");
    };
    source.onmessage = (event) => {
      try {
        onMessage(JSON.parse(event.data) as RealtimeMessage);
      } catch {
        // a malformed line is skipped; the next message carries the full state again
      }
    };
    source.onerror = () => {
      if (!source || isClosed) return;
      if (source.readyState === EventSourceClass.CONNECTING) {
        setStatus("reconnecting"); // the browser retries by itself
        return;
      }
      // CLOSED: the server answered with an error status; EventSource gives up, so retry here.
      source.close();
      setStatus("reconnecting");
      failures += 1;
      retryTimer = setTimeout(open, Math.min(MAX_RETRY_MS, 1000 * 2 ** (failures - 1)));
    };
  };
  open();
  return () => {
    isClosed = true;
    clearTimeout(retryTimer);
    source?.close();
  };
}

// One pusher-js connection per page, shared by every hook; channels are reference-counted.
type PusherClient = import("pusher-js").default;
let pusherClient: Promise<PusherClient> | null = null;
const pusherRefs = new Map<string, number>();

function getPusherClient(config: Extract<RealtimeClientConfig, { kind: "pusher" }>): Promise<PusherClient> {
  pusherClient ??= import("pusher-js").then(
    ({ default: Pusher }) =>
      new Pusher(config.key, {
        cluster: config.cluster,
        forceTLS: config.forceTLS,
        ...(config.wsHost ? { wsHost: config.wsHost } : {}),
        ...(config.wsPort ? { wsPort: config.wsPort, wssPort: config.wsPort } : {}),
        ...(config.wsHost ? { enabledTransports: ["ws", "wss"] } : {}),
        channelAuthorization: { endpoint: config.authEndpoint, transport: "ajax" },
      }),
  );
  return pusherClient;
}

function subscribePusher(
  config: Extract<RealtimeClientConfig, { kind: "pusher" }>,
  channel: string,
  onMessage: Listener,
  setStatus: SetStatus,
): Unsubscribe {
  const name = `${PUSHER_PREFIX}${channel}`;
  let isClosed = false;
  let cleanup: Unsubscribe = () => {};
  getPusherClient(config)
    .then((pusher) => {
      if (isClosed) return;
      const subscription = pusher.subscribe(name);
      pusherRefs.set(name, (pusherRefs.get(name) ?? 0) + 1);
      const onEvent = (event: string, payload: { data?: unknown; sentAt?: number } | undefined) => {
        if (event.startsWith("pusher:") || event.startsWith("pusher_internal:")) return;
        onMessage({ channel, event, data: payload?.data, sentAt: payload?.sentAt ?? Date.now() });
      };
      const onState = ({ current }: { current: string }) =>
        setStatus(
          current === "connected" ? "open" : current === "connecting" ? "reconnecting" : "reconnecting",
        );
      subscription.bind_global(onEvent);
      subscription.bind("pusher:subscription_succeeded", () => setStatus("open"));
      pusher.connection.bind("state_change", onState);
      if (pusher.connection.state === "connected" && subscription.subscribed) setStatus("open");
      cleanup = () => {
        subscription.unbind_global(onEvent);
        pusher.connection.unbind("state_change", onState);
        const refs = (pusherRefs.get(name) ?? 1) - 1;
        if (refs <= 0) {
          pusherRefs.delete(name);
          pusher.unsubscribe(name);
        } else pusherRefs.set(name, refs);
      };
    })
    .catch(() => setStatus("reconnecting"));
  return () => {
    isClosed = true;
    cleanup();
  };
}

export function useChannel(
  channel: string | null,
  onMessage: (message: RealtimeMessage) => void,
  options: { config?: RealtimeClientConfig } = {},
): { status: ChannelStatus } {
  const [status, setStatus] = useState<ChannelStatus>(channel ? "connecting" : "idle");
  // The latest callback, without resubscribing when the caller passes a new closure each render.
  const onMessageRef = useRef(onMessage);
  useEffect(() => {
    onMessageRef.current = onMessage;
  });
  // Compared by value, so a server component re-rendering with an equal config does not resubscribe.
  const configKey = options.config ? JSON.stringify(options.config) : null;

  useEffect(() => {
    if (!channel) {
      setStatus("idle");
      return;
    }
    setStatus("connecting");
    let unsubscribe: Unsubscribe = () => {};
    let isCancelled = false;
    const deliver: Listener = (message) => onMessageRef.current(message);
    const start = (resolved: RealtimeClientConfig) => {
      if (isCancelled) return;
      unsubscribe =
        resolved.kind === "pusher"
          ? subscribePusher(resolved, channel, deliver, setStatus)
          : subscribeSse(resolved.endpoint, channel, deliver, setStatus);
    };
    if (configKey) start(JSON.parse(configKey) as RealtimeClientConfig);
    else
      loadConfig()
        .then(start)
        .catch(() => {
          // No config (offline, signed out): fall back to SSE, which reconnects with backoff.
          start({ kind: "sse", endpoint: "/api/realtime" });
        });
    return () => {
      isCancelled = true;
      unsubscribe();
    };
  }, [channel, configKey]);

  return { status };
}
