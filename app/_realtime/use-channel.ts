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

/** "unavailable": the server refused the subscription (signed out, or not allowed); no retry. */
export type ChannelStatus = "idle" | "connecting" | "open" | "reconnecting" | "unavailable";

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

/** The slice of pusher-js this hook uses; tests pass a fake. */
export interface PusherLike {
  subscribe(name: string): PusherChannelLike;
  unsubscribe(name: string): void;
  connection: {
    state: string;
    bind(event: string, callback: (payload: { current: string }) => void): void;
    unbind(event: string, callback: (payload: { current: string }) => void): void;
  };
}
export interface PusherChannelLike {
  subscribed: boolean;
  bind(event: string, callback: (payload?: unknown) => void): void;
  unbind(event: string, callback: (payload?: unknown) => void): void;
  bind_global(callback: (event: string, payload: unknown) => void): void;
  unbind_global(callback: (event: string, payload: unknown) => void): void;
}

/**
 * pusher-js subscription of one channel. Every handler bound here is unbound on cleanup (the
 * Channel object is shared by every hook on the page, so a leaked handler would keep calling an
 * unmounted component). A refused subscription (`pusher:subscription_error`: the auth endpoint
 * answered 401/403, e.g. after sign-out) sets "unavailable" and stops; any other failure
 * (network, 5xx) re-subscribes with backoff up to 30 s. Exported for tests.
 */
export function subscribePusher(
  config: Extract<RealtimeClientConfig, { kind: "pusher" }>,
  channel: string,
  onMessage: Listener,
  setStatus: SetStatus,
  getClient: (config: Extract<RealtimeClientConfig, { kind: "pusher" }>) => Promise<PusherLike> = (c) =>
    getPusherClient(c) as unknown as Promise<PusherLike>,
): Unsubscribe {
  const name = `${PUSHER_PREFIX}${channel}`;
  let isClosed = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let cleanup: Unsubscribe = () => {};

  const release = (pusher: PusherLike) => {
    const refs = (pusherRefs.get(name) ?? 1) - 1;
    if (refs <= 0) {
      pusherRefs.delete(name);
      pusher.unsubscribe(name);
    } else pusherRefs.set(name, refs);
  };

  const attach = (pusher: PusherLike) => {
    if (isClosed) return;
    const subscription = pusher.subscribe(name);
    pusherRefs.set(name, (pusherRefs.get(name) ?? 0) + 1);
    const onEvent = (event: string, payload: unknown) => {
      if (event.startsWith("pusher:") || event.startsWith("pusher_internal:")) return;
      const body = payload as { data?: unknown; sentAt?: number } | undefined;
      onMessage({ channel, event, data: body?.data, sentAt: body?.sentAt ?? Date.now() });
    };
    const onState = ({ current }: { current: string }) =>
      setStatus(current === "connected" ? "open" : "reconnecting");
    const onSucceeded = () => {
      failures = 0;
      setStatus("open");
    };
    const onError = (payload?: unknown) => {
      const status = (payload as { status?: number } | undefined)?.status;
      detach();
      if (status === 401 || status === 403) {
        setStatus("unavailable");
        return;
      }
      setStatus("reconnecting");
      failures += 1;
      retryTimer = setTimeout(() => attach(pusher), Math.min(MAX_RETRY_MS, 1000 * 2 ** (failures - 1)));
    };
    const detach = () => {
      subscription.unbind_global(onEvent);
      subscription.unbind("pusher:subscription_succeeded", onSucceeded);
      subscription.unbind("pusher:subscription_error", onError);
      pusher.connection.unbind("state_change", onState);
      release(pusher);
      cleanup = () => {};
    };
    subscription.bind_global(onEvent);
    subscription.bind("pusher:subscription_succeeded", onSucceeded);
    subscription.bind("pusher:subscription_error", onError);
    pusher.connection.bind("state_change", onState);
    if (pusher.connection.state === "connected" && subscription.subscribed) setStatus("open");
    cleanup = detach;
  };

  getClient(config)
    .then(attach)
    .catch(() => setStatus("reconnecting"));
  return () => {
    isClosed = true;
    clearTimeout(retryTimer);
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
