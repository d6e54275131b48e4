/**
 * An upload body counted and hashed as it streams, stopped with UploadTooLargeError the moment it
 * passes the limit. The error is also kept aside (`tooLarge`) because a storage backend may wrap
 * errors thrown by the body it reads (S3's multipart upload) and callers rethrow the original.
 */
import { createHash } from "node:crypto";
import { UploadTooLargeError } from "./errors";

export interface MeteredBody {
  chunks: AsyncGenerator<Uint8Array>;
  /** Bytes that went through so far. */
  sizeBytes: () => number;
  /** SHA-256 (hex) of the whole body: call once, after it was read to the end. */
  sha256: () => string;
  /** The size-limit error, when the body passed the limit. */
  tooLarge: () => UploadTooLargeError | null;
}

export function meterBody(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  declaredSizeBytes?: number | null,
): MeteredBody {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  let tooLarge: UploadTooLargeError | null = null;
  async function* chunks() {
    for await (const chunk of body) {
      sizeBytes += chunk.byteLength;
      if (sizeBytes > maxBytes) {
        tooLarge = new UploadTooLargeError(
          declaredSizeBytes != null && declaredSizeBytes > maxBytes ? declaredSizeBytes : null,
          maxBytes,
        );
        throw tooLarge;
      }
      hash.update(chunk);
      yield chunk;
    }
  }
  return {
    chunks: chunks(),
    sizeBytes: () => sizeBytes,
    sha256: () => hash.digest("hex"),
    tooLarge: () => tooLarge,
  };
}
