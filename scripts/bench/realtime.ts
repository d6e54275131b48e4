/**
 * Publish-to-subscriber latency of the embedded realtime path (in-process publisher → SSE stream),
 * measured two ways:
 *   stream  the route's Response body read in the same process (publisher + SSE encoding only);
 *   http    the same Response served by node:http on 127.0.0.1 and read with fetch, i.e. what a
 *           browser's EventSource sees minus its own parsing.
 * Messages are spaced out (not a throughput test) and timed with performance.now().
 *
 *   npx tsx scripts/bench/realtime.ts [--messages 500] [--subscribers 1,25] [--json]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { InProcessHub, InProcessPublisher } from "../../server/realtime/in-process";
import { sseResponse } from "../../server/realtime/sse";

const GAP_MS = 2;
const CHANNEL = "training-run-1";

export interface RealtimeBenchResult {
  mode: "stream" | "http";
  subscribers: number;
  messages: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Reads `data:` frames from a byte stream and calls onData with each JSON payload. */
async function consume(body: ReadableStream<Uint8Array>, onData: (json: string) => void) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith("data: ")) onData(frame.slice(6));
      end = buffer.indexOf("\n\n");
    }
  }
}

async function run(
  mode: "stream" | "http",
  subscribers: number,
  messages: number,
): Promise<RealtimeBenchResult> {
  const hub = new InProcessHub();
  const publisher = new InProcessPublisher(hub);
  const aborts: AbortController[] = [];
  const publishedAt = new Map<number, number>();
  const latencies: number[] = [];
  let server: http.Server | null = null;
  let url = `http://bench.local/api/realtime?channel=${CHANNEL}`;

  if (mode === "http") {
    server = http.createServer(async (req, res) => {
      const abort = new AbortController();
      req.on("close", () => abort.abort());
      const response = sseResponse(new Request(url, { signal: abort.signal }), true, { hub });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      res.end();
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/realtime?channel=${CHANNEL}`;
  }

  const record = (json: string) => {
    const now = performance.now();
    const { data } = JSON.parse(json) as { data: { seq: number } };
    latencies.push(now - (publishedAt.get(data.seq) ?? now));
  };
  const readers: Promise<void>[] = [];
  for (let i = 0; i < subscribers; i++) {
    const abort = new AbortController();
    aborts.push(abort);
    const body =
      mode === "stream"
        ? (sseResponse(new Request(url, { signal: abort.signal }), true, { hub })
            .body as ReadableStream<Uint8Array>)
        : ((await fetch(url, { signal: abort.signal })).body as ReadableStream<Uint8Array>);
    readers.push(consume(body, record).catch(() => {}));
  }
  while (hub.subscriberCount(CHANNEL) < subscribers) await new Promise((r) => setTimeout(r, 5));

  for (let seq = 0; seq < messages; seq++) {
    publishedAt.set(seq, performance.now());
    await publisher.publish(CHANNEL, "progress", { seq, step: "train-gbm", percent: seq / messages });
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  const expected = messages * subscribers;
  const deadline = Date.now() + 10_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  for (const abort of aborts) abort.abort();
  await Promise.all(readers);
  server?.closeAllConnections();
  server?.close();

  if (latencies.length < expected)
    throw new Error(`${mode}: got ${latencies.length} of ${expected} messages`);
  const sorted = latencies.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    mode,
    subscribers,
    messages,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}

/** For `npm run bench:pipeline`: returns one row per mode × subscriber count. */
export async function benchRealtime(
  options: { messages?: number; subscriberCounts?: number[] } = {},
): Promise<RealtimeBenchResult[]> {
  const results: RealtimeBenchResult[] = [];
  for (const mode of ["stream", "http"] as const) {
    for (const subscribers of options.subscriberCounts ?? [1, 25]) {
      results.push(await run(mode, subscribers, options.messages ?? 500));
    }
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const results = await benchRealtime({
    messages: option("messages") ? Number(option("messages")) : undefined,
    subscriberCounts: option("subscribers")?.split(",").map(Number),
  });
  if (args.includes("--json")) console.log(JSON.stringify(results, null, 2));
  else {
    console.log("realtime SSE publish → subscriber latency (ms)");
    console.table(results);
  }
}
