import Pusher from "pusher";
import { serverEnv } from "../env";
import { channelNameSchema, PUSHER_CHANNEL_PREFIX, type RealtimePublisher } from "./types";

/** Pusher (or soketi, a self-hosted Pusher-compatible server when PUSHER_HOST is set). */
export function createPusherClient(): Pusher {
  const env = serverEnv();
  const base = {
    appId: env.PUSHER_APP_ID ?? "",
    key: env.PUSHER_KEY ?? "",
    secret: env.PUSHER_SECRET ?? "",
    useTLS: env.PUSHER_USE_TLS,
  };
  if (env.PUSHER_HOST) {
    return new Pusher({
      ...base,
      host: env.PUSHER_HOST,
      ...(env.PUSHER_PORT ? { port: String(env.PUSHER_PORT) } : {}),
    });
  }
  return new Pusher({ ...base, cluster: env.PUSHER_CLUSTER ?? "mt1" });
}

export class PusherPublisher implements RealtimePublisher {
  readonly kind = "pusher" as const;
  constructor(private readonly client: Pick<Pusher, "trigger"> = createPusherClient()) {}

  async publish(channel: string, event: string, data: unknown): Promise<void> {
    channelNameSchema.parse(channel);
    try {
      // Pusher delivers `data` only; sentAt travels inside it and the browser hook unwraps it.
      await this.client.trigger(`${PUSHER_CHANNEL_PREFIX}${channel}`, event, { data, sentAt: Date.now() });
    } catch (error) {
      // Best effort (see RealtimePublisher). Pusher rejects messages over 10 KB: keep events small.
      console.warn(`[churnguard:realtime] Pusher publish to ${channel} (${event}) failed`, error);
    }
  }
}

/**
 * Signs a browser's subscription to a private channel (pusher-js channelAuthorization). The caller
 * has already checked the session; this checks the channel is one of ours.
 */
export function authorizePusherChannel(
  client: Pick<Pusher, "authorizeChannel">,
  socketId: string,
  pusherChannel: string,
): Pusher.ChannelAuthResponse | null {
  if (!/^\d+\.\d+$/.test(socketId) || !pusherChannel.startsWith(PUSHER_CHANNEL_PREFIX)) return null;
  const channel = pusherChannel.slice(PUSHER_CHANNEL_PREFIX.length);
  if (!channelNameSchema.safeParse(channel).success) return null;
  return client.authorizeChannel(socketId, pusherChannel);
}
