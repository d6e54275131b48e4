"use client";

import { useState } from "react";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { columnRecordOf } from "@/lib/column-record";
import { CopyButton } from "./copy-button";

export interface CurlDataset {
  datasetId: number;
  name: string;
  modelVersion: number;
  /** [column, value] pairs (any column name, "__proto__" included). */
  exampleCustomer: [string, string | number][];
}

function curlFor(origin: string, dataset: CurlDataset): string {
  const body = JSON.stringify(
    // A null-prototype object keeps every column as a key of the JSON text.
    { customer_data: columnRecordOf(dataset.exampleCustomer), dataset_id: dataset.datasetId },
    null,
    2,
  );
  // Single quotes around the body: escape any single quote inside it for the shell.
  return [
    `curl -sS -X POST ${origin}/api/v1/predict \\`,
    `  -H "Authorization: Bearer $CHURNGUARD_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${body.replaceAll("'", "'\\''")}'`,
  ].join("\n");
}

/** A curl command that scores a typical customer of the chosen dataset, ready to copy. */
export function CurlExample({ origin, datasets }: { origin: string; datasets: CurlDataset[] }) {
  const [datasetId, setDatasetId] = useState(String(datasets[0]?.datasetId ?? ""));
  const dataset = datasets.find((d) => String(d.datasetId) === datasetId) ?? datasets[0];
  if (!dataset) return null;
  const command = curlFor(origin, dataset);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        {datasets.length > 1 ? (
          <div className="space-y-1.5">
            <Label htmlFor="curl-dataset">Dataset</Label>
            <Select value={datasetId} onValueChange={setDatasetId}>
              <SelectTrigger id="curl-dataset" className="w-64">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {datasets.map((d) => (
                  <SelectItem key={d.datasetId} value={String(d.datasetId)}>
                    {d.name} (id {d.datasetId}, model v{d.modelVersion})
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        ) : (
          <p className="text-muted-foreground text-sm">
            Dataset <strong className="text-foreground">{dataset.name}</strong> (id {dataset.datasetId}),
            scored by its champion, model v{dataset.modelVersion}.
          </p>
        )}
        <CopyButton text={command} label="Copy command" />
      </div>
      <pre
        className="max-h-96 overflow-auto rounded-lg border bg-muted/50 p-4 font-mono text-xs leading-relaxed"
        data-testid="curl-example"
      >
        <code>{command}</code>
      </pre>
    </div>
  );
}
