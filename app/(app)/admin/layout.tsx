import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { getCurrentUser } from "@/server/auth/current-user";
import { AdminTabs } from "./admin-tabs";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (user?.role !== "admin") {
    return (
      <EmptyState icon={ShieldAlert} title="Admins only">
        The admin area manages users, roles and the audit log. Ask an admin to change your role if you need
        it.
      </EmptyState>
    );
  }
  return (
    <>
      <PageHeader title="Admin" description="Manage who can use ChurnGuard and review what happened." />
      <AdminTabs />
      <div className="mt-6">{children}</div>
    </>
  );
}
