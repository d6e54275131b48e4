import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { assertValidKey, assertValidPrefix } from "./keys";
import { type FileBody, FileNotFoundError, type FileStorage, type StoredFileInfo } from "./types";

export interface S3StorageOptions {
  bucket: string;
  region?: string;
  /** S3-compatible endpoint (MinIO, LocalStack); path-style addressing is used with it. */
  endpoint?: string;
  /** A ready client (tests); otherwise one is built from region/endpoint and the default credential chain. */
  client?: S3Client;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The bucket's region: S3_REGION (passed in as `region`), else the runtime's AWS_REGION (Lambda
 * sets it to the function's region, which is the SST stack's and so the bucket's), else
 * AWS_DEFAULT_REGION. Pinning a region the bucket is not in makes every call fail with
 * PermanentRedirect. Undefined leaves the AWS SDK's own chain (~/.aws/config) to decide; an
 * S3-compatible endpoint (MinIO) accepts any region, so it gets us-east-1 when nothing is set.
 */
export function resolveS3Region(
  options: Pick<S3StorageOptions, "region" | "endpoint">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  return region ?? (options.endpoint ? "us-east-1" : undefined);
}

/** Objects in one S3 bucket; keys are used as object keys unchanged. */
export class S3FileStorage implements FileStorage {
  readonly kind = "s3" as const;
  readonly bucket: string;
  private readonly client: S3Client;
  /**
   * Signs URLs that a browser uses. Flexible checksums only when S3 requires them: by default the
   * SDK (since 3.729) bakes the CRC32 of the empty presign-time body into the URL, and S3 then
   * refuses the browser's real part with a checksum mismatch.
   */
  private readonly presigner: S3Client;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    const config: S3ClientConfig = {};
    const region = resolveS3Region(options);
    if (region) config.region = region;
    if (options.endpoint) {
      config.endpoint = options.endpoint;
      config.forcePathStyle = true;
    }
    this.client = options.client ?? new S3Client(config);
    this.presigner = new S3Client({
      ...config,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  /**
   * Starts a multipart upload the browser fills through presigned part URLs (so a file never
   * passes through Lambda, whose request payload stops at 6 MB). Every part but the last must be
   * at least 5 MiB (S3's rule), at most 10,000 parts.
   */
  async startPresignedUpload(
    key: string,
    options: { partCount: number; expiresInSeconds: number; contentType?: string },
  ): Promise<{ multipartUploadId: string; partUrls: string[] }> {
    assertValidKey(key);
    if (!Number.isInteger(options.partCount) || options.partCount < 1 || options.partCount > 10_000) {
      throw new RangeError(`A multipart upload has 1 to 10,000 parts, not ${options.partCount}`);
    }
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: options.contentType }),
    );
    const multipartUploadId = created.UploadId;
    if (!multipartUploadId) throw new Error(`S3 started no multipart upload for "${key}"`);
    const partUrls: string[] = [];
    for (let partNumber = 1; partNumber <= options.partCount; partNumber++) {
      partUrls.push(
        await getSignedUrl(
          this.presigner,
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: multipartUploadId,
            PartNumber: partNumber,
          }),
          { expiresIn: options.expiresInSeconds },
        ),
      );
    }
    return { multipartUploadId, partUrls };
  }

  /** Joins the uploaded parts into the object; parts in any order, ETags as the browser saw them. */
  async completePresignedUpload(
    key: string,
    multipartUploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<void> {
    assertValidKey(key);
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: multipartUploadId,
        MultipartUpload: { Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
    );
  }

  /** Drops an unfinished multipart upload and the parts S3 holds for it (they are billed until then). */
  async abortPresignedUpload(key: string, multipartUploadId: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: multipartUploadId }),
      );
    } catch (error) {
      const e = error as { name?: string };
      if (e?.name !== "NoSuchUpload") throw error;
    }
  }

  /**
   * A time-limited GET URL for a browser download that bypasses Lambda (6 MB response limit). The
   * disposition (file name) and type travel as S3's response-content-* overrides, so the object
   * needs no metadata. `attachmentDisposition(name)` builds a disposition from a file name.
   */
  async presignedDownloadUrl(
    key: string,
    options: { contentDisposition: string; contentType: string; expiresInSeconds: number },
  ): Promise<string> {
    assertValidKey(key);
    return getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: options.contentDisposition,
        ResponseContentType: options.contentType,
      }),
      { expiresIn: options.expiresInSeconds },
    );
  }

  /** The object's size in bytes; FileNotFoundError when there is none. */
  async sizeOf(key: string): Promise<number> {
    assertValidKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(key);
      throw error;
    }
  }

  async put(key: string, body: FileBody): Promise<{ sizeBytes: number }> {
    assertValidKey(key);
    let sizeBytes = 0;
    if (body instanceof Uint8Array) {
      sizeBytes = body.byteLength;
    }
    const counted =
      body instanceof Uint8Array
        ? body
        : Readable.from(
            (async function* () {
              for await (const chunk of body) {
                sizeBytes += chunk.byteLength;
                yield chunk;
              }
            })(),
            { objectMode: false },
          );
    // Multipart in 8 MB parts for streams: memory stays at queueSize parts however large the file.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counted },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
    return { sizeBytes };
  }

  get(key: string): AsyncIterable<Uint8Array> {
    assertValidKey(key);
    const client = this.client;
    const bucket = this.bucket;
    return {
      async *[Symbol.asyncIterator]() {
        let body: AsyncIterable<Uint8Array>;
        try {
          const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          body = result.Body as unknown as AsyncIterable<Uint8Array>;
        } catch (error) {
          if (isNotFound(error)) throw new FileNotFoundError(key);
          throw error;
        }
        yield* body;
      },
    };
  }

  async getBytes(key: string): Promise<Uint8Array> {
    assertValidKey(key);
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!result.Body) return new Uint8Array();
      return await result.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    assertValidKey(fromKey);
    assertValidKey(toKey);
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: toKey,
          // Keys are validated to plain characters, so no URL encoding is needed.
          CopySource: `${this.bucket}/${fromKey}`,
        }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(fromKey);
      throw error;
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: fromKey }));
  }

  async *list(prefix: string): AsyncIterable<StoredFileInfo> {
    assertValidPrefix(prefix);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix || undefined,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield {
          key: object.Key,
          sizeBytes: object.Size ?? 0,
          modifiedAt: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

/**
 * `attachment` with an ASCII fallback name and the exact name in RFC 5987 form: S3 echoes it as
 * the Content-Disposition header, which must stay a valid header value whatever the user named things.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
