import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertValidKey, assertValidPrefix } from "./keys";
import { type FileBody, FileNotFoundError, type FileStorage, type StoredFileInfo } from "./types";

const TMP_DIR = ".tmp";

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/**
 * Renames into `target`'s folder, creating it. Folders are removed when they empty (see
 * removeEmptyFolders), so another request may remove this one between the mkdir and the rename:
 * then it is created again. Only ENOENT of the folder is retried; a missing `from` still throws.
 */
async function renameInto(from: string, target: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(from, target);
      return;
    } catch (error) {
      if (!isNotFound(error) || attempt >= 3) throw error;
      try {
        await stat(from);
      } catch {
        throw error;
      }
    }
  }
}

/**
 * Files in a folder (`${DATA_DIR}/files` in the app). Keys map to relative paths. As on S3, folders
 * exist only while they hold a file: deleting or moving a folder's last file removes the folder, so
 * a refused upload leaves no empty `uploads/<id>/` behind.
 */
export class LocalFileStorage implements FileStorage {
  readonly kind = "local" as const;

  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    assertValidKey(key);
    const full = path.resolve(this.root, ...key.split("/"));
    // Belt and braces: validation already rules out escapes.
    if (!full.startsWith(path.resolve(this.root) + path.sep))
      throw new Error(`Key escapes the storage root: ${key}`);
    return full;
  }

  async put(key: string, body: FileBody): Promise<{ sizeBytes: number }> {
    const target = this.pathOf(key);
    const tmpDir = path.join(this.root, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    // Same file system as the target, so the rename below is atomic.
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    let sizeBytes = 0;
    const counted = async function* () {
      if (body instanceof Uint8Array) {
        sizeBytes = body.byteLength;
        yield body;
        return;
      }
      for await (const chunk of body) {
        sizeBytes += chunk.byteLength;
        yield chunk;
      }
    };
    const out = createWriteStream(tmp, { flags: "wx" });
    try {
      await pipeline(Readable.from(counted(), { objectMode: false }), out);
      // The target's folder is made only now: a body that fails leaves no folder behind.
      await renameInto(tmp, target);
    } catch (error) {
      // A body that fails at once can destroy the stream while its open() is still in flight;
      // wait for the close, or the file would appear after the rm below.
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      await rm(tmp, { force: true });
      throw error;
    }
    return { sizeBytes };
  }

  get(key: string): AsyncIterable<Uint8Array> {
    const file = this.pathOf(key);
    return {
      async *[Symbol.asyncIterator]() {
        const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
        try {
          for await (const chunk of stream) yield chunk as Uint8Array;
        } catch (error) {
          if (isNotFound(error)) throw new FileNotFoundError(key);
          throw error;
        } finally {
          stream.destroy();
        }
      },
    };
  }

  async getBytes(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await rm(file, { force: true });
    await this.removeEmptyFolders(path.dirname(file));
  }

  /** Removes `dir` and its parents up to the root while they are empty. */
  private async removeEmptyFolders(dir: string): Promise<void> {
    const root = path.resolve(this.root);
    for (let current = dir; current.startsWith(root + path.sep); current = path.dirname(current)) {
      try {
        // rmdir refuses a folder that is not empty: a concurrent write keeps its folder.
        await rmdir(current);
      } catch {
        return;
      }
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const from = this.pathOf(fromKey);
    const to = this.pathOf(toKey);
    try {
      await renameInto(from, to);
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(fromKey);
      throw error;
    }
    await this.removeEmptyFolders(path.dirname(from));
  }

  /** Removes temporary files left by writes that a crash interrupted (older than `maxAgeMs`). */
  async removeStaleTempFiles(maxAgeMs: number, now = Date.now()): Promise<number> {
    const dir = path.join(this.root, TMP_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const full = path.join(dir, name);
      try {
        if (now - (await stat(full)).mtimeMs > maxAgeMs) {
          await rm(full, { force: true });
          removed++;
        }
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return removed;
  }

  async *list(prefix: string): AsyncIterable<StoredFileInfo> {
    assertValidPrefix(prefix);
    // Walk only the deepest folder the prefix names, then filter by the full prefix.
    const slash = prefix.lastIndexOf("/");
    const folderKey = slash < 0 ? "" : prefix.slice(0, slash);
    const start = folderKey ? path.join(this.root, ...folderKey.split("/")) : this.root;
    const walk = async function* (dir: string, keyPrefix: string): AsyncGenerator<StoredFileInfo> {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (entry.name.startsWith(".")) continue;
        const key = keyPrefix ? `${keyPrefix}/${entry.name}` : entry.name;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* walk(full, key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          try {
            const info = await stat(full);
            yield { key, sizeBytes: info.size, modifiedAt: info.mtime };
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
        }
      }
    };
    yield* walk(start, folderKey);
  }
}
