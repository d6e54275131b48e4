import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { getCurrentUser } from "@/server/auth/current-user";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  // proxy.ts already redirects anonymous visitors; this also covers a deleted account.
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return (
    <AppShell user={{ name: user.name, email: user.email, role: user.role }} signOutAction={signOutAction}>
      {children}
    </AppShell>
  );
}
