/**
 * The data sets in `../shared/data` (beside the repository, see its README): the one place tests,
 * benchmarks and scripts find them. They are not part of the repository, so a test that needs one
 * skips where it is absent, with a message, except on CI, where a missing file fails the test.
 */
import { existsSync } from "node:fs";
import path from "node:path";

const REPOSITORY_ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * `../shared/data` next to the repository. CHURNGUARD_SHARED_DATA overrides it for a copy of the
 * repository that lives elsewhere (the mutation check plants faults in a temporary copy).
 */
export const SHARED_DATA_DIR =
  process.env.CHURNGUARD_SHARED_DATA || path.resolve(REPOSITORY_ROOT, "..", "shared", "data");

/** IBM's Telco customer churn file: 7,043 customers, 21 columns, target `Churn`. */
export const TELCO_CSV = path.join(SHARED_DATA_DIR, "telco-customer-churn.csv");

/** True on a CI machine (CI set and not "false"/"0"), where every data set must be present. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/**
 * Whether tests that read `file` should be skipped: only when it is absent and this is not CI.
 * Says which file and why once per call, so a skipped suite is never silent.
 */
export function skipWithoutSharedFile(file: string, what = "tests that need it"): boolean {
  if (existsSync(file) || isCi()) return false;
  console.warn(
    `Skipping ${what}: ${file} is absent (see ../shared/data/README.md). On CI (CI=true) they run and fail instead.`,
  );
  return true;
}
