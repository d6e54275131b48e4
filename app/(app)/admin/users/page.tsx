import type { Metadata } from "next";
import { getCurrentUser } from "@/server/auth/current-user";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await getCurrentUser();
  return <UsersTable currentUserId={user?.id ?? 0} />;
}
