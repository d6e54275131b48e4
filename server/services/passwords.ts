import { hash, verify } from "@node-rs/argon2";
import { newPasswordSchema } from "@/lib/validation/account";
import { FieldValidationError } from "../errors";

// OWASP 2024 argon2id guidance: m=19 MiB, t=2, p=1. Algorithm 2 = argon2id in @node-rs/argon2.
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A real hash of a random password, verified against when the email is unknown so that a
 * failed sign-in takes the same time whether or not the account exists.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}

/**
 * The 49,000 most common passwords of public breaches, as ranked by zxcvbn-ts (the maintained
 * TypeScript port of Dropbox's zxcvbn; package pinned in package.json). Loaded on first use: the
 * list costs about 50 ms to unpack and is needed only when someone chooses a password.
 */
let commonPasswords: Promise<Set<string>> | undefined;
function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"]),
  );
  return commonPasswords;
}

/**
 * Why a new password is refused, or null when it is acceptable: the shared length/shape rules,
 * then the common-password list. A list entry with digits or symbols stuck on the end
 * ("Password123!", "sunshine2024") is as easy to guess as the entry, so the stem is checked too.
 */
export async function passwordProblem(password: string): Promise<string | null> {
  const shape = newPasswordSchema.safeParse(password);
  if (!shape.success) return shape.error.issues[0].message;
  const lower = password.toLowerCase();
  const compact = lower.replace(/\s+/g, "");
  const stem = compact.replace(/[^\p{L}]+$/u, "");
  const common = await loadCommonPasswords();
  if (
    common.has(lower) ||
    common.has(compact) ||
    (stem.length >= 4 && common.has(stem)) ||
    new Set(compact).size <= 2
  ) {
    return "This is one of the most common passwords. Choose something harder to guess, such as a few unrelated words";
  }
  return null;
}

/** Throws a field error on `password` (or the given field) when the password is not acceptable. */
export async function assertAcceptablePassword(password: string, field = "password"): Promise<void> {
  const problem = await passwordProblem(password);
  if (problem) throw new FieldValidationError({ [field]: [problem] });
}
