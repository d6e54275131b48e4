import type { Metadata } from "next";
import { AuditLogTable } from "./audit-log-table";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return <AuditLogTable />;
}
