/**
 * The repository's fake S3 server as a process, for journeys and manual runs of the S3 path
 * without an AWS account (presigned uploads and downloads included):
 *
 *   npx tsx scripts/fake-s3.ts 4569 churnguard-local
 *   S3_BUCKET=churnguard-local S3_ENDPOINT=http://127.0.0.1:4569 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x npm start
 *
 * Objects live in memory: they are gone when the process stops.
 */
import { startFakeS3 } from "../server/storage/fake-s3-server";

const port = Number(process.argv[2] ?? 4569);
const bucket = process.argv[3] ?? "churnguard-local";
const s3 = await startFakeS3(bucket, { port });
console.log(`fake S3: bucket "${bucket}" at ${s3.endpoint}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void s3.close().finally(() => process.exit(0));
  });
}
