"use client";

import { usePathname, useRouter } from "next/navigation";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

/** Switches the page's `?dataset=` parameter; the server component re-renders with it. */
export function DatasetPicker({
  datasets,
  value,
}: {
  datasets: { id: number; name: string; hasChampion: boolean }[];
  value: number;
}) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <Select value={String(value)} onValueChange={(id) => router.push(`${pathname}?dataset=${id}`)}>
      <SelectTrigger className="w-64" aria-label="Dataset">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {datasets.map((d) => (
          <SelectItem key={d.id} value={String(d.id)}>
            {d.name}
            {d.hasChampion ? "" : " (no model yet)"}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
