/**
 * A minimal in-process S3 (path-style) for testing S3FileStorage through the real SDK: single and
 * multipart uploads, get, head, delete, copy and ListObjectsV2. Test-only; not a general emulator.
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

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export async function startFakeS3(bucket: string): Promise<FakeS3> {
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
      response.writeHead(status, { "content-type": "application/xml", ...headers });
      response.end(body);
    };
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
      upload.parts.set(Number(q.get("partNumber")), await readBody(request));
      return send(200, "", { etag: `"part-${q.get("partNumber")}"` });
    }
    if (method === "POST" && q.has("uploadId")) {
      operations.push("CompleteMultipartUpload");
      await readBody(request);
      const upload = uploads.get(q.get("uploadId") as string);
      if (!upload) return send(404, "<Error><Code>NoSuchUpload</Code></Error>");
      const numbers = [...upload.parts.keys()].sort((a, b) => a - b);
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
        "content-type": "application/octet-stream",
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    operations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
