"use client";

import { AlertCircle, Loader2, X } from "lucide-react";
import { useRef, useState } from "react";
import { FileDropzone } from "@/components/datasets/file-dropzone";
import { formatFileSize, tooLargeMessage } from "@/components/datasets/format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import type { UploadPreview } from "@/server/services/datasets";
import { ImportPreview } from "./import-preview";

interface UploadError {
  code: string;
  message: string;
  line?: number;
  column?: number;
}

type Phase =
  | { kind: "choose" }
  | { kind: "uploading"; fileName: string; loaded: number; total: number }
  | { kind: "checking"; fileName: string; total: number }
  | { kind: "failed"; fileName: string; error: UploadError }
  | { kind: "preview"; preview: UploadPreview };

const ERROR_TITLES: Record<string, string> = {
  FILE_TOO_LARGE: "The file is too large",
  EMPTY_FILE: "The file is empty",
  HEADER_ONLY: "The file has no rows",
  EMPTY_COLUMN_NAME: "A column has no name",
  DUPLICATE_COLUMN: "Two columns have the same name",
  RAGGED_ROW: "A row has the wrong number of values",
  UNCLOSED_QUOTE: "A quote is never closed",
  INVALID_UTF8: "The file is not UTF-8 text",
  UNSUPPORTED_ENCODING: "The file is not UTF-8 text",
  BINARY_FILE: "This is not a CSV file",
  TOO_FEW_ROWS: "Too few customers to train on",
  NO_TARGET: "No churn column found",
  TARGET_NOT_BINARY: "The churn column needs two values",
  TARGET_ONE_CLASS: "Everyone has the same churn value",
  TARGET_TOO_RARE: "Too few churned or retained customers",
};

/**
 * Upload → preview → import. The file goes up as the raw request body through XMLHttpRequest,
 * whose upload events drive the progress bar (fetch has no upload progress).
 */
export function UploadWizard({ maxBytes }: { maxBytes: number }) {
  const [phase, setPhase] = useState<Phase>({ kind: "choose" });
  const xhrRef = useRef<XMLHttpRequest | null>(null);

  const upload = (file: File) => {
    if (file.size > maxBytes) {
      setPhase({
        kind: "failed",
        fileName: file.name,
        error: { code: "FILE_TOO_LARGE", message: tooLargeMessage(file.size, maxBytes) },
      });
      return;
    }
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", `/api/datasets/uploads?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.responseType = "json";
    setPhase({ kind: "uploading", fileName: file.name, loaded: 0, total: file.size });
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        setPhase({ kind: "uploading", fileName: file.name, loaded: event.loaded, total: event.total });
      }
    };
    xhr.upload.onload = () => setPhase({ kind: "checking", fileName: file.name, total: file.size });
    xhr.onload = () => {
      xhrRef.current = null;
      const body = xhr.response as (UploadPreview & { error?: undefined }) | { error?: UploadError } | null;
      if (xhr.status === 200 && body && !body.error) {
        setPhase({ kind: "preview", preview: body as UploadPreview });
        return;
      }
      const error: UploadError = body?.error ?? {
        code: `HTTP_${xhr.status}`,
        message:
          xhr.status === 401
            ? "Your session has ended. Sign in again and upload the file."
            : `The upload failed (HTTP ${xhr.status}). Try again in a moment.`,
      };
      setPhase({ kind: "failed", fileName: file.name, error });
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setPhase({
        kind: "failed",
        fileName: file.name,
        error: {
          code: "NETWORK",
          message: "The connection was lost during the upload. Check your network and try again.",
        },
      });
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setPhase({ kind: "choose" });
    };
    xhr.send(file);
  };

  if (phase.kind === "preview") {
    return <ImportPreview preview={phase.preview} onStartOver={() => setPhase({ kind: "choose" })} />;
  }

  const isBusy = phase.kind === "uploading" || phase.kind === "checking";
  return (
    <div className="space-y-4">
      <FileDropzone onFile={upload} maxBytes={maxBytes} disabled={isBusy} />
      {isBusy && (
        <Card>
          <CardContent className="space-y-3" aria-live="polite">
            <div className="flex items-center justify-between gap-3">
              <p className="min-w-0 truncate font-medium" title={phase.fileName}>
                {phase.fileName}
              </p>
              {phase.kind === "uploading" && (
                <Button variant="ghost" size="sm" onClick={() => xhrRef.current?.abort()}>
                  <X aria-hidden="true" />
                  Cancel
                </Button>
              )}
            </div>
            <Progress
              value={
                phase.kind === "uploading" ? (phase.total ? (phase.loaded / phase.total) * 100 : 0) : 100
              }
              aria-label="Upload progress"
            />
            <p className="flex items-center gap-2 text-muted-foreground text-sm">
              {phase.kind === "uploading" ? (
                <>
                  Uploading {formatFileSize(phase.loaded)} of {formatFileSize(phase.total)} (
                  {phase.total ? Math.floor((phase.loaded / phase.total) * 100) : 0} %)
                </>
              ) : (
                <>
                  <Loader2 className="size-4 animate-spin motion-reduce:animate-none" aria-hidden="true" />
                  Uploaded. Checking every row and reading the columns…
                </>
              )}
            </p>
          </CardContent>
        </Card>
      )}
      {phase.kind === "failed" && (
        <Alert variant="destructive" data-testid="upload-error">
          <AlertCircle aria-hidden="true" />
          <AlertTitle>{ERROR_TITLES[phase.error.code] ?? "The file could not be used"}</AlertTitle>
          <AlertDescription>
            <p>
              <span className="font-medium">{phase.fileName}</span>: {phase.error.message}
            </p>
            <p>Nothing was imported. Fix the file and upload it again.</p>
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}
