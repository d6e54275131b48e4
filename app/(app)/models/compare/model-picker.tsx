"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { algorithmName } from "@/components/models/format";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

interface Choice {
  id: number;
  algorithm: string;
  version: number;
  datasetName: string;
  status: string;
  cvAuc: number;
}

/** Two model selects and a Compare button (navigates to ?a=&b=). */
export function ModelPicker({ models, a, b }: { models: Choice[]; a?: number; b?: number }) {
  const router = useRouter();
  const [left, setLeft] = useState<string | undefined>(a ? String(a) : undefined);
  const [right, setRight] = useState<string | undefined>(b ? String(b) : undefined);
  const label = (m: Choice) =>
    `${algorithmName(m.algorithm)} v${m.version} · ${m.datasetName} · AUC ${m.cvAuc.toFixed(3)}${m.status === "champion" ? " · champion" : ""}`;
  const picker = (id: string, name: string, value: string | undefined, onChange: (v: string) => void) => (
    <div className="min-w-0 flex-1 space-y-1">
      <span id={id} className="text-muted-foreground text-xs">
        {name}
      </span>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger className="w-full" aria-labelledby={id}>
          <SelectValue placeholder="Choose a model" />
        </SelectTrigger>
        <SelectContent>
          {models.map((m) => (
            <SelectItem key={m.id} value={String(m.id)}>
              {label(m)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
  return (
    <form
      className="flex flex-col gap-3 sm:flex-row sm:items-end"
      onSubmit={(event) => {
        event.preventDefault();
        if (left && right) router.push(`/models/compare?a=${left}&b=${right}`);
      }}
    >
      {picker("compare-a", "Model A", left, setLeft)}
      {picker("compare-b", "Model B", right, setRight)}
      <Button type="submit" disabled={!left || !right || left === right}>
        Compare
      </Button>
    </form>
  );
}
