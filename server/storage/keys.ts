import { InvalidStorageKeyError } from "./types";

const MAX_KEY_LENGTH = 512;
/** Letters, digits and . _ - = per segment: no user text (file names) ever becomes a key. */
const SEGMENT = /^[A-Za-z0-9_=-][A-Za-z0-9._=-]*$/;

/**
 * Keys are relative, "/"-separated paths of plain segments. Refused: empty keys, absolute paths,
 * backslashes, empty segments ("a//b", trailing "/"), "." and ".." segments, segments starting
 * with "." (the local backend keeps its temporary files in ".tmp"), and any other character.
 * Throws InvalidStorageKeyError.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new InvalidStorageKeyError(String(key), "empty");
  if (key.length > MAX_KEY_LENGTH) throw new InvalidStorageKeyError(key, `longer than ${MAX_KEY_LENGTH}`);
  if (key.startsWith("/")) throw new InvalidStorageKeyError(key, "absolute paths are not keys");
  if (key.includes("\\")) throw new InvalidStorageKeyError(key, "backslash");
  for (const segment of key.split("/")) {
    if (segment === "") throw new InvalidStorageKeyError(key, "empty path segment");
    if (segment === "." || segment === "..") throw new InvalidStorageKeyError(key, `"${segment}" segment`);
    if (!SEGMENT.test(segment)) {
      throw new InvalidStorageKeyError(
        key,
        `segment "${segment}" has characters other than A-Z a-z 0-9 . _ - =`,
      );
    }
  }
}

/** A prefix for list(): a key, optionally ending in "/", or "" for everything. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === "") return;
  assertValidKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}
