/**
 * Files adapter: the raw uploads, imported dataset files and model artifacts. A local folder under
 * DATA_DIR by default, S3 when S3_BUCKET is set; callers only see keys ("datasets/3/v2/<sha>.csv").
 * Keys are validated by `assertValidKey` before either backend touches them.
 */

export type FileBody = Uint8Array | AsyncIterable<Uint8Array>;

export interface StoredFileInfo {
  key: string;
  sizeBytes: number;
  modifiedAt: Date;
}

export interface FileStorage {
  readonly kind: "local" | "s3";
  /**
   * Writes a file, replacing any file at `key`. A reader never sees a half-written file: the
   * local backend writes a temporary file and renames it, S3 only shows an object once uploaded.
   * A body that throws while being read leaves nothing behind at `key`.
   */
  put(key: string, body: FileBody): Promise<{ sizeBytes: number }>;
  /** Streams a file in chunks; throws FileNotFoundError (when read) if there is none. */
  get(key: string): AsyncIterable<Uint8Array>;
  getBytes(key: string): Promise<Uint8Array>;
  /** Removes a file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Renames a file (local: atomic rename; S3: copy then delete). */
  move(fromKey: string, toKey: string): Promise<void>;
  /** Files whose key starts with `prefix` (use a trailing "/" for a folder). */
  list(prefix: string): AsyncIterable<StoredFileInfo>;
}

const FILE_NOT_FOUND = Symbol.for("churnguard.storage.FileNotFoundError");

export class FileNotFoundError extends Error {
  readonly [FILE_NOT_FOUND] = true;
  constructor(readonly key: string) {
    super(`No stored file at "${key}"`);
    this.name = "FileNotFoundError";
  }

  /**
   * By brand, not by prototype: getStorage() keeps one storage per process while Next.js bundles
   * this module once per route bundle, so the error may come from another bundle's copy of this
   * class (e.g. a storage first built by an upload route, then read by /api/inngest's job step).
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [FILE_NOT_FOUND]?: unknown })[FILE_NOT_FOUND] === true
    );
  }
}

export class InvalidStorageKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = "InvalidStorageKeyError";
  }
}
