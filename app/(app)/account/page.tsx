import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/current-user";
import { getDb } from "@/server/db/client";
import { hasPassword } from "@/server/services/users";
import { ChangePasswordForm } from "./change-password-form";
import { NameForm } from "./name-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const canChangePassword = await hasPassword(await getDb(), user.id);
  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">Your account</h1>
        <p className="text-muted-foreground text-sm">
          Signed in as {user.email} ({user.role}).
        </p>
      </div>
      <NameForm name={user.name} />
      {canChangePassword ? (
        <ChangePasswordForm email={user.email} />
      ) : (
        <p className="text-muted-foreground text-sm">
          You sign in through single sign-on, so there is no password here.
        </p>
      )}
    </div>
  );
}
