/** Types for serve.mjs (plain JavaScript: `npm start` runs it with Node). */
import type { Server } from "node:http";

export declare function serve(options?: { port?: number; hostname?: string }): Promise<Server>;
export declare function workerCount(
  env?: Readonly<Record<string, string | undefined>>,
  cores?: number,
): number;
export declare function serveAll(options?: {
  port?: number;
  hostname?: string;
  workers?: number;
}): Promise<Server | undefined>;
