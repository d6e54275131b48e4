"use client";

import { FileUp } from "lucide-react";
import { type DragEvent, type ReactNode, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { formatFileSize } from "./format";

/**
 * Drop a CSV here or pick one; the button is the keyboard path, the zone the mouse one. Defaults
 * describe a dataset upload; other uploads (a file to score) pass their own wording and test ids.
 */
export function FileDropzone({
  onFile,
  maxBytes,
  disabled = false,
  title = "Drag a customer CSV file here",
  requirement = "One row per customer with a churn column (Yes/No, 1/0…).",
  inputLabel = "CSV file",
  testIdPrefix = "dataset",
  compact = false,
}: {
  onFile: (file: File) => void;
  maxBytes: number;
  disabled?: boolean;
  title?: string;
  /** What the rows must hold; the encoding and size limit follow it. */
  requirement?: ReactNode;
  inputLabel?: string;
  /** Test ids are `<prefix>-dropzone` and `<prefix>-file-input`. */
  testIdPrefix?: string;
  compact?: boolean;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [isDragging, setIsDragging] = useState(false);
  const hintId = useId();

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setIsDragging(false);
    if (disabled) return;
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the button inside is the accessible control
    <div
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setIsDragging(true);
      }}
      onDragLeave={() => setIsDragging(false)}
      onDrop={onDrop}
      data-testid={`${testIdPrefix}-dropzone`}
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-6 text-center transition-colors duration-200",
        compact ? "py-10" : "py-14",
        isDragging ? "border-primary bg-primary/5" : "border-border",
        disabled && "opacity-60",
      )}
    >
      <div className="flex size-12 items-center justify-center rounded-full bg-primary/10 text-primary">
        <FileUp className="size-6" aria-hidden="true" />
      </div>
      <p className="font-medium">{title}</p>
      <Button
        type="button"
        disabled={disabled}
        onClick={() => inputRef.current?.click()}
        aria-describedby={hintId}
      >
        Choose a file
      </Button>
      <p id={hintId} className="max-w-md text-muted-foreground text-sm">
        {requirement} UTF-8 text, comma, semicolon or tab separated, up to {formatFileSize(maxBytes)}.
      </p>
      <input
        ref={inputRef}
        type="file"
        accept=".csv,.tsv,.txt,text/csv"
        className="sr-only"
        tabIndex={-1}
        aria-label={inputLabel}
        data-testid={`${testIdPrefix}-file-input`}
        disabled={disabled}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
