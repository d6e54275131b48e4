import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
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
