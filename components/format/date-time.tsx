"use client";

/**
 * The one way pages show a date. The server renders in the zone the browser reported last time
 * (a cookie; UTC on a first visit) and relative times against the server's clock; the browser's
 * hydration render repeats exactly that (both come from DateTimeProvider's props), so React finds
 * the same text. Right after hydration the browser switches to its own zone and clock, and stores
 * its zone in the cookie so the next server render already uses it.
 */
import { createContext, type ReactNode, useContext, useEffect, useSyncExternalStore } from "react";
import {
  type DateStyle,
  FALLBACK_TIME_ZONE,
  formatDate,
  formatRelative,
  isValidTimeZone,
  TIME_ZONE_COOKIE,
} from "@/lib/format/dates";

interface RenderTime {
  /** The zone the server rendered in. */
  timeZone: string;
  /** The server's clock when it rendered (ms), for relative times; null when not known. */
  now: number | null;
}

const RenderTimeContext = createContext<RenderTime>({ timeZone: FALLBACK_TIME_ZONE, now: null });

const noSubscription = () => () => {};
/** False while rendering on the server and while hydrating; true afterwards. */
function useIsHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

let browserZone: string | null = null;
function browserTimeZone(): string {
  if (browserZone === null) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    browserZone = isValidTimeZone(zone) ? zone : FALLBACK_TIME_ZONE;
  }
  return browserZone;
}

/** One clock for every relative time on the page, ticking every 30 s while something shows it. */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: null as ReturnType<typeof setInterval> | null,
  subscribe(listener: () => void) {
    clock.listeners.add(listener);
    if (!clock.timer) {
      clock.now = Date.now();
      clock.timer = setInterval(() => {
        clock.now = Date.now();
        for (const l of clock.listeners) l();
      }, 30_000);
    }
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0 && clock.timer) {
        clearInterval(clock.timer);
        clock.timer = null;
      }
    };
  },
};

function useClock(): number {
  return useSyncExternalStore(
    clock.subscribe,
    () => clock.now,
    () => 0,
  );
}

/** Put once around the signed-in app, with the zone the server renders in and its clock. */
export function DateTimeProvider({
  timeZone,
  now,
  children,
}: {
  timeZone: string;
  now: number;
  children: ReactNode;
}) {
  useEffect(() => {
    const zone = browserTimeZone();
    if (zone !== timeZone) {
      // A display preference, not a secret; the server validates it before use.
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in older Safari and Firefox
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [timeZone]);
  return <RenderTimeContext.Provider value={{ timeZone, now }}>{children}</RenderTimeContext.Provider>;
}

/** A formatter for text that is not a <time> element (labels, titles, toasts). */
export function useFormatDate(): (value: Date | string, style: DateStyle) => string {
  const render = useContext(RenderTimeContext);
  const zone = useIsHydrated() ? browserTimeZone() : render.timeZone;
  return (value, style) => formatDate(toDate(value), style, zone);
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/** An absolute date or time, in the reader's time zone. */
export function DateTime({
  value,
  style = "dateTime",
  className,
}: {
  value: Date | string;
  style?: DateStyle;
  className?: string;
}) {
  const format = useFormatDate();
  const date = toDate(value);
  return (
    <time dateTime={date.toISOString()} className={className}>
      {format(date, style)}
    </time>
  );
}

/** "5 minutes ago", with the exact date and time on hover. */
export function RelativeTime({ value, className }: { value: Date | string; className?: string }) {
  const render = useContext(RenderTimeContext);
  const isHydrated = useIsHydrated();
  useClock();
  const format = useFormatDate();
  const date = toDate(value);
  const exact = format(date, "dateTimeSeconds");
  // Until hydration, only the server's clock gives the same words in both renders.
  const now = isHydrated ? Date.now() : render.now;
  return (
    <time dateTime={date.toISOString()} title={exact} className={className}>
      {now === null ? format(date, "dateTime") : formatRelative(date, now)}
    </time>
  );
}

/**
 * The reader's IANA time zone (the server's render zone until hydration): what local calendar
 * days mean in date filters, which send those days to the server as UTC instants.
 */
export function useReaderTimeZone(): string {
  const render = useContext(RenderTimeContext);
  return useIsHydrated() ? browserTimeZone() : render.timeZone;
}
