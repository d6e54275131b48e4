"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False in the server render and until React has hydrated, then true. Forms that hold a password
 * keep their submit button disabled until then: a native submit before hydration would send the
 * fields as a GET query string (into the address bar, history and access logs).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
