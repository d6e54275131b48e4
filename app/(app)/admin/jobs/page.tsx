import type { Metadata } from "next";
import { JobsTable } from "./jobs-table";

export const metadata: Metadata = { title: "Jobs" };

export default function JobsPage() {
  return <JobsTable />;
}
