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

/** What a direct upload is for (POST /api/uploads adds the file's name and size). */
export type DirectUploadTarget = { purpose: "dataset" } | { purpose: "score-batch"; datasetId: number };

interface DirectTicket {
  uploadId: string;
  partSizeBytes: number;
  parts: { partNumber: number; url: string }[];
}

type DirectStatus<TPreview> =
  | { status: "uploading" | "checking" }
  | { status: "ready"; preview: TPreview }
  | { status: "failed"; error: UploadError };

const POLL_MS = 1_000;
const NETWORK_ERROR: UploadError = {
  code: "NETWORK",
  message: "The connection was lost during the upload. Check your network and try again.",
};

class UploadFailed extends Error {
  constructor(readonly error: UploadError) {
    super(error.message);
  }
}

async function callJson<T>(url: string, method: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new UploadFailed(NETWORK_ERROR);
  }
  const answer = (await response.json().catch(() => null)) as (T & { error?: UploadError }) | null;
  if (!response.ok || !answer || answer.error)
    throw new UploadFailed(answer?.error ?? httpError(response.status));
  return answer;
}

function httpError(status: number): UploadError {
  return {
    code: `HTTP_${status}`,
    message:
      status === 401
        ? "Your session has ended. Sign in again and upload the file."
        : `The upload failed (HTTP ${status}). Try again in a moment.`,
  };
}

/**
 * A CSV sent as the raw request body through XMLHttpRequest, whose upload events drive a progress
 * bar (fetch has no upload progress). The server answers the preview (200) or `{ error }`; shared
 * by the dataset upload and the file-to-score upload, which differ only in URL and preview type.
 *
 * With `direct` (the server stores files in S3) the file goes straight to the bucket instead, in
 * slices PUT to presigned multipart URLs (AWS Lambda refuses request bodies over 6 MB), with the
 * same progress bar; the server then checks it in a job and this hook polls for the same preview.
 */
export function useCsvUpload<TPreview>(maxBytes: number, direct = false) {
  const [phase, setPhase] = useState<UploadPhase<TPreview>>({ kind: "choose" });
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const directRef = useRef<{ uploadId: string | null; cancelled: boolean } | null>(null);

  const putPart = (url: string, body: Blob, onProgress: (loaded: number) => void) =>
    new Promise<string>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhrRef.current = xhr;
      xhr.open("PUT", url);
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => {
        xhrRef.current = null;
        // ETag is readable only when the bucket's CORS rule exposes it (sst.config.ts does).
        const etag = xhr.getResponseHeader("ETag");
        if (xhr.status >= 200 && xhr.status < 300 && etag) resolve(etag);
        else
          reject(
            new UploadFailed({
              code: `STORAGE_${xhr.status}`,
              message: `The file storage refused part of the upload (HTTP ${xhr.status}). Try again in a moment.`,
            }),
          );
      };
      xhr.onerror = () => {
        xhrRef.current = null;
        reject(new UploadFailed(NETWORK_ERROR));
      };
      xhr.onabort = () => {
        xhrRef.current = null;
        reject(new UploadFailed({ code: "CANCELLED", message: "Cancelled" }));
      };
      xhr.send(body);
    });

  const uploadDirect = async (file: File, target: DirectUploadTarget) => {
    const state = { uploadId: null as string | null, cancelled: false };
    directRef.current = state;
    setPhase({ kind: "uploading", fileName: file.name, loaded: 0, total: file.size });
    try {
      const ticket = await callJson<DirectTicket>("/api/uploads", "POST", {
        ...target,
        fileName: file.name,
        sizeBytes: file.size,
      });
      state.uploadId = ticket.uploadId;
      const parts: { partNumber: number; etag: string }[] = [];
      let done = 0;
      for (const part of ticket.parts) {
        if (state.cancelled) return;
        const start = (part.partNumber - 1) * ticket.partSizeBytes;
        const slice = file.slice(start, Math.min(file.size, start + ticket.partSizeBytes));
        const etag = await putPart(part.url, slice, (loaded) =>
          setPhase({ kind: "uploading", fileName: file.name, loaded: done + loaded, total: file.size }),
        );
        done += slice.size;
        parts.push({ partNumber: part.partNumber, etag });
      }
      setPhase({ kind: "checking", fileName: file.name });
      await callJson(`/api/uploads/${ticket.uploadId}/complete`, "POST", { parts });
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (state.cancelled) return;
        const status = await callJson<DirectStatus<TPreview>>(`/api/uploads/${ticket.uploadId}`, "GET");
        if (state.cancelled) return;
        if (status.status === "ready") return setPhase({ kind: "preview", preview: status.preview });
        if (status.status === "failed")
          return setPhase({ kind: "failed", fileName: file.name, error: status.error });
      }
    } catch (error) {
      if (state.cancelled) return;
      const known = error instanceof UploadFailed ? error.error : NETWORK_ERROR;
      setPhase({ kind: "failed", fileName: file.name, error: known });
    } finally {
      if (directRef.current === state) directRef.current = null;
    }
  };

  const cancelDirect = () => {
    const state = directRef.current;
    if (!state) return false;
    state.cancelled = true;
    xhrRef.current?.abort();
    if (state.uploadId) void fetch(`/api/uploads/${state.uploadId}`, { method: "DELETE" }).catch(() => {});
    setPhase({ kind: "choose" });
    return true;
  };

  const upload = (file: File, url: string, target?: DirectUploadTarget) => {
    if (file.size > maxBytes) {
      setPhase({
        kind: "failed",
        fileName: file.name,
        error: { code: "FILE_TOO_LARGE", message: tooLargeMessage(file.size, maxBytes) },
      });
      return;
    }
    if (direct && target) {
      void uploadDirect(file, target);
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
  const cancel = () => {
    if (!cancelDirect()) xhrRef.current?.abort();
  };
  return { phase, setPhase, upload, cancel, isBusy };
}
