import { ArrowLeft, Lock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverEnv } from "@/server/env";
import { directUploadsEnabled } from "@/server/services/direct-uploads";
import { UploadWizard } from "./upload-wizard";

export const metadata: Metadata = { title: "Upload a dataset" };

export default async function UploadDatasetPage() {
  const user = await getCurrentUser();
  const canUpload = user?.role === "manager" || user?.role === "admin";
  return (
    <>
      <Link
        href="/datasets"
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        Datasets
      </Link>
      <PageHeader
        title="Upload a dataset"
        description="Upload a customer CSV, check how each column was read, adjust the target, identifier and excluded columns, then import."
      />
      {canUpload ? (
        <UploadWizard maxBytes={serverEnv().UPLOAD_MAX_BYTES} direct={directUploadsEnabled()} />
      ) : (
        <EmptyState icon={Lock} title="Managers upload data">
          You can see datasets and their profiles; uploading and importing need the manager role. Ask an admin
          if you need it.
        </EmptyState>
      )}
    </>
  );
}
