import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client";
import { createTestDatabase, testDatabaseKinds } from "../testing/database";
import { createUser } from "../testing/factories";
import { listAudit } from "./audit";
import { authenticate } from "./users";

const policy = { maxFailures: 3, lockoutMinutes: 15 };

describe.each(testDatabaseKinds())("authenticate on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("signs in with the right password, case-insensitively on email, and audits it", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const result = await authenticate(
      handle.db,
      { email: user.email.toUpperCase(), password },
      "192.0.2.1",
      policy,
    );
    expect(result).toMatchObject({ ok: true, user: { id: user.id } });
    if (result.ok) expect(result.user.lastSignInAt).toBeInstanceOf(Date);
    const { entries } = await listAudit(handle.db, { limit: 1, action: "user.sign_in" });
    expect(entries[0]).toMatchObject({ actorId: user.id, ip: "192.0.2.1" });
  });

  it("locks an account after repeated failures, even with the right password", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    for (let i = 0; i < policy.maxFailures; i++) {
      expect(
        await authenticate(handle.db, { email: user.email, password: "wrong" }, `192.0.2.${10 + i}`, policy),
      ).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    const locked = await authenticate(handle.db, { email: user.email, password }, "192.0.2.99", policy);
    expect(locked).toMatchObject({ ok: false, reason: "locked" });
    if (!locked.ok && locked.reason === "locked") expect(locked.retryInMinutes).toBe(15);
    const { entries } = await listAudit(handle.db, { limit: 1, action: "user.sign_in_blocked" });
    expect(entries[0].details).toEqual({ email: user.email });
  });

  it("locks an address that fails across many accounts", async () => {
    const ip = "192.0.2.200";
    const { user, password } = await createUser(handle.db, "viewer");
    // The address budget is four times the account budget.
    for (let i = 0; i < policy.maxFailures * 4; i++) {
      await authenticate(handle.db, { email: `nobody-${i}@example.com`, password: "x" }, ip, policy);
    }
    expect(await authenticate(handle.db, { email: user.email, password }, ip, policy)).toMatchObject({
      reason: "locked",
    });
    expect(
      await authenticate(handle.db, { email: user.email, password }, "192.0.2.201", policy),
    ).toMatchObject({ ok: true });
  });

  it("a success resets the account's failure count", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const ip = "192.0.2.50";
    await authenticate(handle.db, { email: user.email, password: "wrong" }, ip, policy);
    await authenticate(handle.db, { email: user.email, password: "wrong" }, ip, policy);
    expect(await authenticate(handle.db, { email: user.email, password }, ip, policy)).toMatchObject({
      ok: true,
    });
    await authenticate(handle.db, { email: user.email, password: "wrong" }, ip, policy);
    await authenticate(handle.db, { email: user.email, password: "wrong" }, ip, policy);
    expect(await authenticate(handle.db, { email: user.email, password }, ip, policy)).toMatchObject({
      ok: true,
    });
  });
});

describe.each(testDatabaseKinds())("lockout under parallel attempts on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("verifies at most the account's budget of 60 simultaneous guesses, the right one last", async () => {
    const parallelPolicy = { maxFailures: 5, lockoutMinutes: 15 };
    const { user, password } = await createUser(handle.db, "viewer");
    const guesses = Array.from({ length: 60 }, (_, i) => (i === 59 ? password : `wrong guess ${i}`));
    const results = await Promise.all(
      guesses.map((guess, i) =>
        authenticate(handle.db, { email: user.email, password: guess }, `198.51.100.${i}`, parallelPolicy),
      ),
    );
    const evaluated = results.filter((r) => r.ok || r.reason !== "locked");
    expect(evaluated.length).toBeLessThanOrEqual(parallelPolicy.maxFailures);
    expect(results.filter((r) => !r.ok && r.reason === "locked")).toHaveLength(60 - evaluated.length);
    // Only a guess inside the budget may succeed; whatever happened, the account is locked now.
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    expect(
      await authenticate(handle.db, { email: user.email, password }, "198.51.100.200", parallelPolicy),
    ).toMatchObject({ ok: false, reason: "locked" });
    const { entries } = await listAudit(handle.db, { limit: 100, action: "user.sign_in_failed" });
    expect(entries.filter((e) => e.details.email === user.email).length).toBeLessThanOrEqual(5);
  });

  it("counts 60 simultaneous guesses from one address across accounts within the address budget", async () => {
    const parallelPolicy = { maxFailures: 5, lockoutMinutes: 15 };
    const ip = "198.51.100.250";
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        authenticate(handle.db, { email: `spray-${i}@example.com`, password: "x" }, ip, parallelPolicy),
      ),
    );
    const evaluated = results.filter((r) => r.ok || r.reason !== "locked");
    expect(evaluated.length).toBe(parallelPolicy.maxFailures * 4);
  });

  it("a blocked address does not use up the account's own budget", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const ip = "198.51.100.251";
    for (let i = 0; i < 21; i++) {
      await authenticate(handle.db, { email: `other-${i}@example.com`, password: "x" }, ip, policy);
    }
    for (let i = 0; i < 10; i++) {
      expect(
        await authenticate(handle.db, { email: user.email, password: "nope" }, ip, policy),
      ).toMatchObject({
        reason: "locked",
      });
    }
    expect(
      await authenticate(handle.db, { email: user.email, password }, "198.51.100.252", policy),
    ).toMatchObject({ ok: true });
  });
});
