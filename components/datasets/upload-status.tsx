import { AlertCircle, Loader2, X } from "lucide-react";
import type { ReactNode } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { formatFileSize } from "./format";
import type { UploadError, UploadPhase } from "./use-csv-upload";

/** The file on its way up (bar, bytes, cancel), then the server's check of it. */
export function UploadProgress({
  phase,
  onCancel,
  checkingText,
}: {
  phase: Extract<UploadPhase<unknown>, { kind: "uploading" | "checking" }>;
  onCancel: () => void;
  checkingText: ReactNode;
}) {
  const percent = phase.kind === "uploading" ? (phase.total ? (phase.loaded / phase.total) * 100 : 0) : 100;
  return (
    <div className="space-y-3" aria-live="polite">
      <div className="flex items-center justify-between gap-3">
        <p className="min-w-0 truncate font-medium" title={phase.fileName}>
          {phase.fileName}
        </p>
        {phase.kind === "uploading" && (
          <Button variant="ghost" size="sm" onClick={onCancel}>
            <X aria-hidden="true" />
            Cancel
          </Button>
        )}
      </div>
      <Progress value={percent} aria-label="Upload progress" />
      <p className="flex items-center gap-2 text-muted-foreground text-sm">
        {phase.kind === "uploading" ? (
          <>
            Uploading {formatFileSize(phase.loaded)} of {formatFileSize(phase.total)} ({Math.floor(percent)}{" "}
            %)
          </>
        ) : (
          <>
            <Loader2 className="size-4 animate-spin motion-reduce:animate-none" aria-hidden="true" />
            {checkingText}
          </>
        )}
      </p>
    </div>
  );
}

/** Why an upload was refused, titled by its error code, and what was (not) kept. */
export function UploadFailure({
  fileName,
  error,
  titles,
  fallbackTitle,
  aftermath,
  testId,
}: {
  fileName: string;
  error: UploadError;
  titles: Record<string, string>;
  fallbackTitle: string;
  aftermath: string;
  testId: string;
}) {
  return (
    <Alert variant="destructive" data-testid={testId}>
      <AlertCircle aria-hidden="true" />
      <AlertTitle>{titles[error.code] ?? fallbackTitle}</AlertTitle>
      <AlertDescription>
        <p>
          <span className="font-medium">{fileName}</span>: {error.message}
        </p>
        <p>{aftermath}</p>
      </AlertDescription>
    </Alert>
  );
}
