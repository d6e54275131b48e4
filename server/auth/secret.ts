import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { serverEnv } from "../env";

/**
 * AUTH_SECRET signs session cookies. Production sets it; in embedded mode it is generated on the
 * first start and kept under DATA_DIR so sessions survive restarts without any configuration.
 */
export function authSecret(): string {
  const env = serverEnv();
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = path.join(env.dataDir, "auth-secret");
  // Read once per file: every page request asks for it (the session cookie's decode).
  const known = generatedSecrets.get(file);
  if (known) return known;
  const secret = readOrCreate(file, env.dataDir);
  generatedSecrets.set(file, secret);
  return secret;
}

const generatedSecrets = new Map<string, string>();

function readOrCreate(file: string, dataDir: string): string {
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  } catch {
    // not generated yet
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // "wx" fails if another process wrote it first; then theirs wins and we read it back.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return readFileSync(file, "utf8").trim();
  }
}
