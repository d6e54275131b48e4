import { getCurrentUser } from "@/server/auth/current-user";
import { sseResponse } from "@/server/realtime/sse";

/**
 * GET /api/realtime?channel=training-run-12 → Server-Sent Events of that channel (embedded mode).
 * Any signed-in user may listen (viewers read everything); the channel must be one of ours.
 */
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  return sseResponse(request, user !== null);
}
