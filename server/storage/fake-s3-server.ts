/**
 * A minimal in-process S3 (path-style) for testing S3FileStorage through the real SDK: single and
 * multipart uploads, get, head, delete, copy and ListObjectsV2. Test-only; not a general emulator.
 *
 * Also what a browser meets on presigned URLs: CORS (preflight, ETag exposed, as the bucket's CORS
 * rule in sst.config.ts), expiry of presigned URLs, refusal of a presigned part URL that carries a
 * checksum of the empty body (what S3 does to the SDK's default presigned URLs), ETags checked on
 * CompleteMultipartUpload, and response-content-* overrides on GET. Signatures are not verified.
 * `scripts/fake-s3.ts` serves it on a fixed port for the production-shape e2e journey.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface StoredObject {
  body: Buffer;
  modifiedAt: Date;
}

export interface FakeS3 {
  endpoint: string;
  objects: Map<string, StoredObject>;
  /** Operations seen, e.g. "PutObject", "UploadPart" (for assertions). */
  operations: string[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of request) parts.push(chunk as Buffer);
  const raw = Buffer.concat(parts);
  const encoding = String(request.headers["content-encoding"] ?? "");
  return encoding.includes("aws-chunked") ? decodeAwsChunked(raw) : raw;
}

/** aws-chunked: "<hex size>[;chunk-signature=...]\r\n<data>\r\n" ... "0\r\n<trailers>\r\n\r\n". */
function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString().split(";")[0], 16);
    if (!size) break;
    out.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

const partEtag = (partNumber: number, size: number) => `"part-${partNumber}-${size}"`;

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, PUT, POST, DELETE, HEAD",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "ETag",
  "access-control-max-age": "3000",
};

/** A presigned URL past X-Amz-Date + X-Amz-Expires (S3 answers 403 AccessDenied "Request has expired"). */
function isExpired(q: URLSearchParams, now = Date.now()): boolean {
  const date = q.get("X-Amz-Date");
  const expires = Number(q.get("X-Amz-Expires"));
  if (!date || !Number.isFinite(expires)) return false;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return true;
  const signedAt = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return now > signedAt + expires * 1000;
}

/** The region in a SigV4 credential scope (Authorization header or X-Amz-Credential), if signed. */
function signedRegion(authorization: string | undefined, q: URLSearchParams): string | undefined {
  const credential = /Credential=([^,\s]+)/.exec(authorization ?? "")?.[1] ?? q.get("X-Amz-Credential");
  return credential?.split("/")[2];
}

export async function startFakeS3(
  bucket: string,
  options: {
    port?: number;
    host?: string;
    /**
     * The bucket's region: a request (header-signed or presigned) whose credential scope names
     * another region is refused as S3 does (400 AuthorizationHeaderMalformed). Unset: not checked.
     */
    region?: string;
  } = {},
): Promise<FakeS3> {
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const operations: string[] = [];
  let nextUpload = 1;

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const [, bucketName, ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const q = url.searchParams;
    const send = (status: number, body = "", headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/xml", ...CORS_HEADERS, ...headers });
      response.end(body);
    };
    if (request.method === "OPTIONS") {
      operations.push("Preflight");
      response.writeHead(204, CORS_HEADERS);
      return response.end();
    }
    const signedFor = signedRegion(request.headers.authorization, q);
    if (options.region && signedFor !== undefined && signedFor !== options.region) {
      operations.push("WrongRegion");
      return send(
        400,
        `<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region '${xmlEscape(signedFor)}' is wrong; expecting '${xmlEscape(options.region)}'</Message><Region>${xmlEscape(options.region)}</Region></Error>`,
      );
    }
    if (q.has("X-Amz-Signature") && isExpired(q)) {
      return send(403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
    }
    const notFound = () =>
      send(404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
    if (bucketName !== bucket) return send(404, "<Error><Code>NoSuchBucket</Code></Error>");
    const method = request.method ?? "GET";

    if (method === "GET" && !key && q.get("list-type") === "2") {
      operations.push("ListObjectsV2");
      const prefix = q.get("prefix") ?? "";
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const contents = keys
        .map((k) => {
          const o = objects.get(k) as StoredObject;
          return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.modifiedAt.toISOString()}</LastModified><Size>${o.body.length}</Size><ETag>"x"</ETag></Contents>`;
        })
        .join("");
      return send(
        200,
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      );
    }
    if (method === "POST" && q.has("uploads")) {
      operations.push("CreateMultipartUpload");
      const id = `upload-${nextUpload++}`;
      uploads.set(id, { key, parts: new Map() });
      return send(
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (method === "PUT" && q.has("uploadId")) {
      operations.push("UploadPart");
      const upload = uploads.get(q.get("uploadId") as string);
      if (!upload) return send(404, "<Error><Code>NoSuchUpload</Code></Error>");
      const body = await readBody(request);
      if (q.get("x-amz-checksum-crc32") === "AAAAAA==" && body.length > 0) {
        return send(
          400,
          "<Error><Code>BadDigest</Code><Message>The CRC32 you specified did not match the calculated checksum.</Message></Error>",
        );
      }
      const partNumber = Number(q.get("partNumber"));
      upload.parts.set(partNumber, body);
      return send(200, "", { etag: partEtag(partNumber, body.length) });
    }
    if (method === "POST" && q.has("uploadId")) {
      operations.push("CompleteMultipartUpload");
      const xml = (await readBody(request)).toString();
      const upload = uploads.get(q.get("uploadId") as string);
      if (!upload) return send(404, "<Error><Code>NoSuchUpload</Code></Error>");
      const listed = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
        etag: /<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1]?.replace(/&quot;/g, '"'),
      }));
      for (const part of listed) {
        const body = upload.parts.get(part.number);
        if (!body || part.etag !== partEtag(part.number, body.length)) {
          return send(
            400,
            "<Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be found or its ETag did not match.</Message></Error>",
          );
        }
      }
      const numbers = (listed.length > 0 ? listed.map((p) => p.number) : [...upload.parts.keys()]).sort(
        (a, b) => a - b,
      );
      objects.set(upload.key, {
        body: Buffer.concat(numbers.map((n) => upload.parts.get(n) as Buffer)),
        modifiedAt: new Date(),
      });
      uploads.delete(q.get("uploadId") as string);
      return send(
        200,
        `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><ETag>"done"</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (method === "DELETE" && q.has("uploadId")) {
      operations.push("AbortMultipartUpload");
      uploads.delete(q.get("uploadId") as string);
      return send(204);
    }
    if (method === "PUT" && request.headers["x-amz-copy-source"]) {
      operations.push("CopyObject");
      const source = decodeURIComponent(String(request.headers["x-amz-copy-source"])).replace(/^\//, "");
      const sourceKey = source.slice(bucket.length + 1);
      const object = objects.get(sourceKey);
      if (!object) return notFound();
      objects.set(key, { body: Buffer.from(object.body), modifiedAt: new Date() });
      return send(
        200,
        `<CopyObjectResult><ETag>"copy"</ETag><LastModified>${new Date().toISOString()}</LastModified></CopyObjectResult>`,
      );
    }
    if (method === "PUT") {
      operations.push("PutObject");
      objects.set(key, { body: await readBody(request), modifiedAt: new Date() });
      return send(200, "", { etag: '"put"' });
    }
    if (method === "GET" || method === "HEAD") {
      operations.push(method === "GET" ? "GetObject" : "HeadObject");
      const object = objects.get(key);
      if (!object) {
        if (method === "HEAD") {
          response.writeHead(404);
          return response.end();
        }
        return notFound();
      }
      response.writeHead(200, {
        ...CORS_HEADERS,
        "content-type": q.get("response-content-type") ?? "application/octet-stream",
        ...(q.has("response-content-disposition")
          ? { "content-disposition": q.get("response-content-disposition") as string }
          : {}),
        "content-length": String(object.body.length),
        "last-modified": object.modifiedAt.toUTCString(),
        etag: '"x"',
      });
      return response.end(method === "GET" ? object.body : undefined);
    }
    if (method === "DELETE") {
      operations.push("DeleteObject");
      objects.delete(key);
      return send(204);
    }
    send(400, "<Error><Code>NotImplemented</Code></Error>");
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    operations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
