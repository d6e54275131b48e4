"use client";

import { FileUp } from "lucide-react";
import { type DragEvent, useId, useRef, useState } from "react";
import { formatFileSize } from "@/components/datasets/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** Drop a CSV of customers to score, or pick one; the button is the keyboard path. */
export function ScoreFileDropzone({
  onFile,
  maxBytes,
  disabled = false,
}: {
  onFile: (file: File) => void;
  maxBytes: number;
  disabled?: boolean;
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
      data-testid="score-dropzone"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors duration-200",
        isDragging ? "border-primary bg-primary/5" : "border-border",
        disabled && "opacity-60",
      )}
    >
      <div className="flex size-12 items-center justify-center rounded-full bg-primary/10 text-primary">
        <FileUp className="size-6" aria-hidden="true" />
      </div>
      <p className="font-medium">Drag a CSV of customers to score here</p>
      <Button
        type="button"
        disabled={disabled}
        onClick={() => inputRef.current?.click()}
        aria-describedby={hintId}
      >
        Choose a file
      </Button>
      <p id={hintId} className="max-w-md text-muted-foreground text-sm">
        One row per customer with the columns the model was trained on; no churn column needed. UTF-8 text,
        comma, semicolon or tab separated, up to {formatFileSize(maxBytes)}.
      </p>
      <input
        ref={inputRef}
        type="file"
        accept=".csv,.tsv,.txt,text/csv"
        className="sr-only"
        tabIndex={-1}
        aria-label="CSV file to score"
        data-testid="score-file-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
