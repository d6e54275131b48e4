"use client";

import { useRef, useState } from "react";
import { tooLargeMessage } from "./format";

export interface UploadError {
  code: string;
  message: string;
  line?: number;
  column?: number;
}

export type UploadPhase<TPreview> =
  | { kind: "choose" }
  | { kind: "uploading"; fileName: string; loaded: number; total: number }
  | { kind: "checking"; fileName: string }
  | { kind: "failed"; fileName: string; error: UploadError }
  | { kind: "preview"; preview: TPreview };

/**
 * A CSV sent as the raw request body through XMLHttpRequest, whose upload events drive a progress
 * bar (fetch has no upload progress). The server answers the preview (200) or `{ error }`; shared
 * by the dataset upload and the file-to-score upload, which differ only in URL and preview type.
 */
export function useCsvUpload<TPreview>(maxBytes: number) {
  const [phase, setPhase] = useState<UploadPhase<TPreview>>({ kind: "choose" });
  const xhrRef = useRef<XMLHttpRequest | null>(null);

  const upload = (file: File, url: string) => {
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
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.responseType = "json";
    setPhase({ kind: "uploading", fileName: file.name, loaded: 0, total: file.size });
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        setPhase({ kind: "uploading", fileName: file.name, loaded: event.loaded, total: event.total });
      }
    };
    xhr.upload.onload = () => setPhase({ kind: "checking", fileName: file.name });
    xhr.onload = () => {
      xhrRef.current = null;
      const body = xhr.response as (TPreview & { error?: undefined }) | { error?: UploadError } | null;
      if (xhr.status === 200 && body && !body.error) {
        setPhase({ kind: "preview", preview: body as TPreview });
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

  const isBusy = phase.kind === "uploading" || phase.kind === "checking";
  return { phase, setPhase, upload, cancel: () => xhrRef.current?.abort(), isBusy };
}
