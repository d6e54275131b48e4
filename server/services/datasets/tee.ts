import { PassThrough, Readable } from "node:stream";

/**
 * Feeds one byte stream to two consumers at the pace of the slower one (pipe's back-pressure),
 * so an upload is written to storage and parsed in the same pass, and memory stays at a few
 * stream buffers. A consumer that gives up must call `abort(error)`, or the other would stall.
 */
export function teeBytes(source: AsyncIterable<Uint8Array>): {
  branches: [AsyncIterable<Uint8Array>, AsyncIterable<Uint8Array>];
  abort: (error: Error) => void;
} {
  const readable = Readable.from(source, { objectMode: false });
  const first = new PassThrough();
  const second = new PassThrough();
  const abort = (error: Error) => {
    readable.destroy(error);
    first.destroy(error);
    second.destroy(error);
  };
  readable.on("error", abort);
  // Consumers see errors through their iteration; these listeners stop a branch that was
  // destroyed after its consumer finished from raising an unhandled 'error' event.
  const ignore = () => {};
  first.on("error", ignore);
  second.on("error", ignore);
  readable.pipe(first);
  readable.pipe(second);
  return { branches: [first, second], abort };
}
