"use client";

/**
 * Keeps a page current while customer events arrive (server/services/events publishes
 * "customer-events" on the dataset's channel after each committed batch). Server-rendered pages
 * (dashboard, customer page) re-render with router.refresh(); client pages pass `queryKeys` whose
 * tRPC queries are invalidated instead. At most one refresh per REFRESH_MS, the last message never
 * dropped, so a demo at hundreds of events a minute does not re-render continuously.
 */
import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef } from "react";
import { cn } from "@/lib/utils";
import { channels, type RealtimeMessage } from "@/server/realtime/types";
import { useChannel } from "./use-channel";

const REFRESH_MS = 400;
const CUSTOMER_EVENTS_MESSAGE = "customer-events";

interface CustomerEventsData {
  customers?: { id: number }[];
}

export function LiveRefresh({
  datasetId,
  customerId,
  queryKeys,
  className,
  label = true,
}: {
  datasetId: number;
  /** Only refresh for events of this customer (the customer page). */
  customerId?: number;
  /** Invalidate these queries instead of refreshing the server-rendered page. */
  queryKeys?: QueryKey[];
  className?: string;
  /** Show the "Live" indicator. */
  label?: boolean;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const lastRun = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const keysRef = useRef(queryKeys);
  keysRef.current = queryKeys;

  const refresh = useCallback(() => {
    lastRun.current = Date.now();
    timer.current = null;
    const keys = keysRef.current;
    if (keys?.length) for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
    else router.refresh();
  }, [queryClient, router]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const { status } = useChannel(channels.dataset(datasetId), (message: RealtimeMessage) => {
    if (message.event !== CUSTOMER_EVENTS_MESSAGE) return;
    const data = message.data as CustomerEventsData | undefined;
    if (customerId !== undefined && !data?.customers?.some((c) => c.id === customerId)) return;
    if (timer.current) return; // a refresh is already scheduled; it will show this too
    const wait = Math.max(0, lastRun.current + REFRESH_MS - Date.now());
    if (wait === 0) refresh();
    else timer.current = setTimeout(refresh, wait);
  });

  if (!label) return null;
  const isOpen = status === "open";
  return (
    <span
      className={cn("inline-flex items-center gap-1.5 text-muted-foreground text-xs", className)}
      data-testid="live-status"
      data-status={status}
      title={isOpen ? "Updates as customer events arrive" : "Reconnecting to live updates…"}
    >
      <span
        className={cn(
          "size-2 rounded-full",
          isOpen ? "animate-pulse bg-emerald-500" : "bg-muted-foreground/50",
        )}
        aria-hidden="true"
      />
      {isOpen ? "Live" : "Connecting…"}
    </span>
  );
}
