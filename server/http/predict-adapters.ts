/**
 * The REST predict API (server/services/rest-api) on its two transports. Route handlers (Lambda,
 * `next start`) get a web Request; the Node server (scripts/serve.mjs) hands a Node request over
 * before Next.js sees it, because Next's per-request work costs several times the prediction
 * itself (BENCHMARKS.md, "REST predict API"). Both give the same status, headers and body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { after } from "next/server";
import type { Database } from "../db/client";
import { answerPredictCall, MAX_BODY_BYTES, requestLogFor } from "../services/rest-api";
import { chunksOf } from "./route-helpers";

export async function handlePredictRequest(request: Request, db: Database): Promise<Response> {
  const answer = await answerPredictCall(
    {
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
      contentLength: request.headers.get("content-length"),
      body: request.body ? chunksOf(request.body) : null,
    },
    db,
  );
  // A Lambda can be frozen as soon as it has answered, before the buffered call log's next
  // write; there the row is written right after the answer is out. Long-lived servers keep
  // batching (one INSERT per call would cost more than the call).
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) after(() => requestLogFor(db).flush());
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * The request body's chunks, pulled one at a time. Not the stream's own async iterator: leaving
 * that early destroys the socket, and a body refused half-way (413) must still get its answer.
 */
async function* chunksOfIncoming(request: IncomingMessage): AsyncGenerator<Uint8Array> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    request.pause();
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onClose = () => {
    if (!ended) failure ??= new Error("The client closed the connection before sending the whole body");
    wake?.();
  };
  const onError = (error: Error) => {
    failure = error;
    wake?.();
  };
  request.on("data", onData).on("end", onEnd).on("close", onClose).on("error", onError);
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      const arrived = new Promise<void>((resolve) => {
        wake = resolve;
      });
      request.resume();
      await arrived;
      wake = null;
    }
  } finally {
    request.off("data", onData).off("end", onEnd).off("close", onClose).off("error", onError);
    request.pause();
  }
}

/** After a 413, how much more of the body is read and dropped, and for how long, before hanging up. */
const LINGER_BYTES = 2 * MAX_BODY_BYTES;
const LINGER_MS = 5_000;

/**
 * A body refused half-way is still arriving. Closing the socket now would reset it with data
 * unread, and the client, busy sending, would see the reset instead of the 413. So the rest is
 * read and dropped for a moment (what web servers call a lingering close); a client that keeps
 * sending past that is cut off. (A client that sent `Connection: close` gets the connection
 * closed by Node right after the answer, as it asked.)
 */
function lingerOnRefusedBody(request: IncomingMessage): void {
  let dropped = 0;
  const hangUp = () => request.socket.destroy();
  const timer = setTimeout(hangUp, LINGER_MS).unref();
  request.on("data", (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > LINGER_BYTES) hangUp();
  });
  request.once("end", () => clearTimeout(timer));
  request.once("close", () => clearTimeout(timer));
  request.resume();
}

export async function handleNodePredict(
  request: IncomingMessage,
  response: ServerResponse,
  db: Database,
): Promise<void> {
  const answer = await answerPredictCall(
    {
      path: request.url ?? "/",
      authorization: request.headers.authorization ?? null,
      contentLength: request.headers["content-length"] ?? null,
      body: chunksOfIncoming(request),
    },
    db,
  );
  response.writeHead(answer.status, {
    ...answer.headers,
    "Content-Length": String(Buffer.byteLength(answer.body)),
  });
  response.end(answer.body);
  // Smaller bodies left unread (say with a 401) are drained by Node itself to keep the connection.
  if (answer.status === 413 && !request.complete) lingerOnRefusedBody(request);
}
