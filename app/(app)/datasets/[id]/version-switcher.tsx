"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useFormatDate } from "@/components/format/date-time";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

/** Chooses which version's profile the page shows (?version=<id>, a server render). */
export function VersionSwitcher({
  datasetId,
  selectedId,
  versions,
}: {
  datasetId: number;
  selectedId: number;
  versions: { id: number; version: number; createdAt: Date }[];
}) {
  const router = useRouter();
  const formatDate = useFormatDate();
  const [isPending, startTransition] = useTransition();
  return (
    <Select
      value={String(selectedId)}
      disabled={isPending}
      onValueChange={(value) => startTransition(() => router.push(`/datasets/${datasetId}?version=${value}`))}
    >
      <SelectTrigger className="w-56" aria-label="Dataset version">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {versions.map((v) => (
          <SelectItem key={v.id} value={String(v.id)}>
            v{v.version} · {formatDate(v.createdAt, "dateTime")}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
