import "server-only";
import { cookies } from "next/headers";
import { FALLBACK_TIME_ZONE, isValidTimeZone, TIME_ZONE_COOKIE } from "@/lib/format/dates";

/**
 * The reader's time zone as their browser last reported it (see DateTimeProvider), else UTC.
 * Server components format dates in it, and the provider tells the browser to hydrate with it.
 */
export async function requestTimeZone(): Promise<string> {
  const raw = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  let zone: string | undefined;
  try {
    zone = raw === undefined ? undefined : decodeURIComponent(raw);
  } catch {
    zone = undefined;
  }
  return isValidTimeZone(zone) ? zone : FALLBACK_TIME_ZONE;
}
