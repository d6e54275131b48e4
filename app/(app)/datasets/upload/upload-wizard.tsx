"use client";

import { FileDropzone } from "@/components/datasets/file-dropzone";
import { UploadFailure, UploadProgress } from "@/components/datasets/upload-status";
import { useCsvUpload } from "@/components/datasets/use-csv-upload";
import { Card, CardContent } from "@/components/ui/card";
import type { UploadPreview } from "@/server/services/datasets";
import { ImportPreview } from "./import-preview";

const ERROR_TITLES: Record<string, string> = {
  FILE_TOO_LARGE: "The file is too large",
  EMPTY_FILE: "The file is empty",
  HEADER_ONLY: "The file has no rows",
  EMPTY_COLUMN_NAME: "A column with values has no name",
  DUPLICATE_COLUMN: "Two columns have the same name",
  RAGGED_ROW: "A row has the wrong number of values",
  UNCLOSED_QUOTE: "A quote is never closed",
  INVALID_UTF8: "The file is not UTF-8 text",
  UNSUPPORTED_ENCODING: "The file is not UTF-8 text",
  BINARY_FILE: "This is not a CSV file",
  TOTALS_ROW: "The file ends with a totals line",
  TOO_FEW_ROWS: "Too few customers to train on",
  NO_TARGET: "No churn column found",
  TARGET_NOT_BINARY: "The churn column needs two values",
  TARGET_ONE_CLASS: "Everyone has the same churn value",
  TARGET_TOO_RARE: "Too few churned or retained customers",
  TOO_MANY_COLUMNS: "The file has too many columns",
  COLUMN_NAME_TOO_LONG: "A column name is too long",
  TOO_MANY_FEATURES: "Too many columns for the number of customers",
};

/**
 * Upload (useCsvUpload: raw body with progress, or straight to S3 when `direct`) → preview → import.
 */
export function UploadWizard({ maxBytes, direct = false }: { maxBytes: number; direct?: boolean }) {
  const { phase, setPhase, upload: send, cancel, isBusy } = useCsvUpload<UploadPreview>(maxBytes, direct);
  const upload = (file: File) =>
    send(file, `/api/datasets/uploads?name=${encodeURIComponent(file.name)}`, { purpose: "dataset" });

  if (phase.kind === "preview") {
    return <ImportPreview preview={phase.preview} onStartOver={() => setPhase({ kind: "choose" })} />;
  }

  return (
    <div className="space-y-4">
      <FileDropzone onFile={upload} maxBytes={maxBytes} disabled={isBusy} />
      {(phase.kind === "uploading" || phase.kind === "checking") && (
        <Card>
          <CardContent>
            <UploadProgress
              phase={phase}
              onCancel={cancel}
              checkingText="Uploaded. Checking every row and reading the columns…"
            />
          </CardContent>
        </Card>
      )}
      {phase.kind === "failed" && (
        <UploadFailure
          fileName={phase.fileName}
          error={phase.error}
          titles={ERROR_TITLES}
          fallbackTitle="The file could not be used"
          aftermath="Nothing was imported. Fix the file and upload it again."
          testId="upload-error"
        />
      )}
    </div>
  );
}
