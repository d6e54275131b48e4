/**
 * Who may call what, for every tRPC procedure, generated from the router itself: each procedure is
 * called as anonymous, viewer, manager and admin, and must refuse exactly the callers below the
 * minimum role written in MINIMUM_ROLE. A procedure that is added without an entry here, or an
 * entry whose procedure is gone, fails the first test, so a new endpoint cannot ship unguarded by
 * accident: its author has to write down who may call it.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client";
import type { Role } from "../db/schema";
import type { PublicUser } from "../services/users";
import { createTestDatabase, testDatabaseKinds } from "../testing/database";
import { callerFor, createUser } from "../testing/factories";
import { appRouter } from "./root";

/** "public": anyone, signed in or not; a role: that role and the ones above it. */
type Access = "public" | Role;

const MINIMUM_ROLE: Record<string, Access> = {
  me: "viewer",
  "auth.signUp": "public",
  // A set-password link is opened before its owner can sign in.
  "auth.passwordLink": "public",
  "auth.setPassword": "public",
  "auth.changePassword": "viewer",
  "auth.rename": "viewer",

  "dashboard.datasets": "viewer",
  "dashboard.overview": "viewer",

  "users.list": "admin",
  "users.setRole": "admin",
  "users.create": "admin",
  "users.resetPassword": "admin",
  "users.deactivate": "admin",
  "users.reactivate": "admin",
  "users.signUpSetting": "admin",
  "users.setSignUpOpen": "admin",
  "audit.list": "admin",
  "audit.actions": "admin",
  "audit.facets": "admin",

  "jobs.list": "admin",
  "jobs.overview": "admin",
  "jobs.retry": "admin",
  "jobs.cancel": "admin",

  "datasets.list": "viewer",
  "datasets.get": "viewer",
  "datasets.inspectUpload": "manager",
  "datasets.import": "manager",
  "datasets.discardUpload": "manager",
  "datasets.delete": "manager",

  "training.start": "manager",
  "training.cancel": "manager",
  "training.get": "viewer",
  "training.list": "viewer",

  "models.list": "viewer",
  "models.datasets": "viewer",
  "models.get": "viewer",
  "models.compare": "viewer",
  "models.promote": "manager",
  "models.rollback": "manager",

  "apiKeys.list": "admin",
  "apiKeys.recentErrors": "admin",
  "apiKeys.create": "admin",
  "apiKeys.revoke": "admin",
  "apiKeys.examples": "viewer",

  "events.timeline": "viewer",
  "events.demoStatus": "admin",
  "events.configureDemo": "admin",

  "settings.riskBands": "viewer",
  "settings.setRiskBands": "admin",
  "settings.currency": "viewer",
  "settings.setCurrency": "admin",

  "analytics.datasets": "viewer",
  "analytics.overview": "viewer",
  "analytics.segments": "viewer",
  "analytics.retention": "viewer",
  "analytics.riskTrend": "viewer",

  "campaigns.preview": "viewer",
  "campaigns.list": "viewer",
  "campaigns.get": "viewer",
  "campaigns.save": "manager",

  "outcomes.results": "viewer",
  "outcomes.actions": "viewer",
  "outcomes.mine": "viewer",
  "outcomes.owners": "viewer",
  "outcomes.assign": "manager",
  "outcomes.assignSelection": "manager",
  "outcomes.updateAction": "manager",
  "outcomes.record": "manager",
  "outcomes.importCsv": "manager",
  "outcomes.fromNewerData": "manager",
  "uplift.status": "viewer",
  "uplift.ranking": "viewer",
  "uplift.fit": "manager",

  "reports.list": "viewer",
  "reports.get": "viewer",
  "reports.generate": "manager",

  "settings.playbook": "admin",
  "settings.setPlaybook": "admin",
  "settings.resetPlaybook": "admin",
  "settings.dataRetention": "admin",
  "settings.setDataRetention": "admin",

  "batchScoring.datasets": "viewer",
  "batchScoring.list": "viewer",
  "batchScoring.start": "manager",
  "batchScoring.discard": "manager",
  "batchScoring.cancel": "manager",

  "customers.datasets": "viewer",
  "customers.list": "viewer",
  "customers.filterOptions": "viewer",
  "customers.detail": "viewer",

  "predictions.datasets": "viewer",
  "predictions.form": "viewer",
  "predictions.predict": "viewer",

  "retraining.schedule": "viewer",
  "retraining.schedules": "admin",
  "retraining.updateSchedule": "manager",
  "retraining.runNow": "manager",
  "retraining.decisions": "viewer",
  "retraining.approve": "manager",
  "retraining.reject": "manager",
  "retraining.failureNotices": "manager",
  "retraining.dismissFailure": "manager",

  "drift.overview": "viewer",
  "drift.report": "viewer",
  "drift.alerts": "viewer",
  "drift.checkNow": "manager",
};

const RANK: Record<Access, number> = { public: -1, viewer: 0, manager: 1, admin: 2 };
const CALLERS = ["anonymous", "viewer", "manager", "admin"] as const;
type CallerName = (typeof CALLERS)[number];
const rankOf = (caller: CallerName) => (caller === "anonymous" ? -1 : RANK[caller]);

/** The code a refused caller must get: who you are is unknown (401), or known and too low (403). */
function expectedRefusal(caller: CallerName): "UNAUTHORIZED" | "FORBIDDEN" {
  return caller === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN";
}

/**
 * What a caller the guard let through can get: an answer, the input refused (BAD_REQUEST), or
 * the service's own verdict on an empty database. Anything else (a refusal, a crash) is reported.
 */
const ANSWERS_PAST_THE_GUARD = new Set(["OK", "BAD_REQUEST", "NOT_FOUND", "PRECONDITION_FAILED", "CONFLICT"]);

type Call = (input: unknown) => Promise<unknown>;

/** `caller.a.b` for the path "a.b" (the caller is a proxy, so the path is walked segment by segment). */
function procedureOf(caller: unknown, path: string): Call {
  let node = caller as Record<string, unknown>;
  for (const segment of path.split(".")) node = node[segment] as Record<string, unknown>;
  return node as unknown as Call;
}

/** The tRPC error code of the call, or "OK" when it answered. */
async function outcome(call: Call): Promise<string> {
  try {
    // No input on purpose: the role guard runs before the input is parsed, so a caller below the
    // minimum is refused either way, and a caller at or above it gets BAD_REQUEST from the input
    // (or, for procedures without required input, a read-only answer) — never a refusal.
    await call(undefined);
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("the role table", () => {
  it("lists exactly the router's procedures", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    const listed = Object.keys(MINIMUM_ROLE).sort();
    expect(
      procedures.filter((p) => !(p in MINIMUM_ROLE)),
      "procedures without an entry in MINIMUM_ROLE (write down who may call them)",
    ).toEqual([]);
    expect(
      listed.filter((p) => !procedures.includes(p)),
      "MINIMUM_ROLE entries for procedures that no longer exist",
    ).toEqual([]);
  });
});

describe.each(testDatabaseKinds())("tRPC procedures by role on %s", (kind) => {
  let handle: DatabaseHandle;
  const users = new Map<CallerName, PublicUser | null>();

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    users.set("anonymous", null);
    for (const role of ["viewer", "manager", "admin"] as const)
      users.set(role, (await createUser(handle.db, role)).user);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it.each(Object.keys(MINIMUM_ROLE))(
    "%s refuses exactly the callers below its minimum role",
    async (path) => {
      const minimum = MINIMUM_ROLE[path];
      const seen: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const name of CALLERS) {
        const call = procedureOf(callerFor(handle.db, users.get(name) ?? null), path);
        const code = await outcome(call);
        seen[name] = ANSWERS_PAST_THE_GUARD.has(code) ? "allowed" : code;
        expected[name] = rankOf(name) < RANK[minimum] ? expectedRefusal(name) : "allowed";
      }
      expect(seen, `${path} (minimum: ${minimum})`).toEqual(expected);
    },
  );
});
