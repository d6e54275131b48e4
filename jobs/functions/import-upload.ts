import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  checkDirectUpload,
  DirectUploadGoneError,
  failDirectUpload,
  UPLOAD_RECEIVED,
} from "@/server/services/direct-uploads";
import { defineDurableFunction } from "../define";
import { NonRetriableError } from "../types";

export { UPLOAD_RECEIVED };

/**
 * Checks a file the browser uploaded straight to S3 (presigned multipart; Lambda refuses request
 * bodies over 6 MB): reads the object and stages it with the datasets or batch-scoring service,
 * exactly as the streaming upload routes do, then records the preview (or the file's problem) for
 * the browser, which polls /api/uploads/<id>. One step: staging streams the file once.
 */
export const importUpload = defineDurableFunction<{ uploadId: string }>({
  id: "import-upload",
  event: UPLOAD_RECEIVED,
  parse: (data) => z.object({ uploadId: z.uuid() }).parse(data),
  steps: () => [
    {
      id: "check",
      label: "Checking the uploaded file",
      run: async ({ db, data }) => {
        try {
          return await checkDirectUpload(db, data.uploadId);
        } catch (error) {
          if (error instanceof DirectUploadGoneError) throw new NonRetriableError(error.message);
          throw error;
        }
      },
    },
  ],
  onFailure: async ({ data, error, jobId }) => {
    const reference = jobId || randomUUID();
    console.error(`[uploads] checking direct upload ${data.uploadId} failed (job ${reference})`, error);
    await failDirectUpload(data.uploadId, reference);
  },
});
