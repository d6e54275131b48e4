import { getCurrentUser } from "@/server/auth/current-user";
import { getPusherClient } from "@/server/realtime";
import { authorizePusherChannel } from "@/server/realtime/pusher";

/**
 * pusher-js asks here before subscribing to a private channel (POST form: socket_id, channel_name).
 * Signed-in users only, and only our channel names; 403 otherwise.
 */
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in to receive live updates." }, { status: 401 });
  const client = getPusherClient();
  if (!client) return Response.json({ error: "Pusher is not configured." }, { status: 404 });
  const form = await request.formData().catch(() => null);
  const socketId = form?.get("socket_id");
  const channelName = form?.get("channel_name");
  const auth =
    typeof socketId === "string" && typeof channelName === "string"
      ? authorizePusherChannel(client, socketId, channelName)
      : null;
  if (!auth) return Response.json({ error: "This channel cannot be subscribed to." }, { status: 403 });
  return Response.json(auth);
}
