/** Types for build-progress.mjs (plain JavaScript: `npm start` runs it with Node, before any build). */
export type BuildReason = "first" | "changed" | "forced";

export interface BuildReporter {
  start(): void;
  line(text: string): void;
  tick(): void;
  /** Returns the build's duration in ms. */
  finish(status: number): number;
}

export declare const QUIET_MS: number;
export declare function formatElapsed(ms: number): string;
export declare function estimateOf(options: { cores: number; lastBuildMs: number | null }): string;
export declare function introMessage(options: {
  reason: BuildReason | string;
  cores: number;
  lastBuildMs: number | null;
}): string;
export declare function stepOf(line: string): string | null;
export declare function createBuildReporter(options: {
  log: (line: string) => void;
  now: () => number;
  reason: BuildReason | string;
  cores: number;
  lastBuildMs: number | null;
}): BuildReporter;
export declare function readLastBuildMs(file: string): number | null;
export declare function writeLastBuildMs(file: string, buildMs: number): void;
export declare function runBuild(options: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  reporter: BuildReporter;
  tickMs?: number;
}): Promise<{ status: number; buildMs: number }>;
export declare function buildReason(options: { hasBuild: boolean; isForced: boolean }): BuildReason;
