import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { DateTimeProvider } from "@/components/format/date-time";
import { AppShell } from "@/components/layout/app-shell";
import { getCurrentUser } from "@/server/auth/current-user";
import { requestTimeZone } from "../_format/request-time-zone";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  // proxy.ts already redirects anonymous visitors; this also covers a deleted account.
  const [user, timeZone] = await Promise.all([getCurrentUser(), requestTimeZone()]);
  if (!user) redirect("/sign-in");
  return (
    <DateTimeProvider timeZone={timeZone} now={Date.now()}>
      <AppShell user={{ name: user.name, email: user.email, role: user.role }} signOutAction={signOutAction}>
        {children}
      </AppShell>
    </DateTimeProvider>
  );
}
