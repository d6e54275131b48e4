import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { listAudit } from "../../services/audit";
import { SIGN_UP_SETTING, setSetting } from "../../services/settings";
import { authenticate } from "../../services/users";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    const trpcError = error as TRPCError;
    expect(trpcError.code).toBe("BAD_REQUEST");
    // The caller path runs the same error formatter the HTTP client sees.
    const { appRouter } = await import("../../trpc/root");
    const shape = appRouter._def._config.errorFormatter({
      error: trpcError,
      type: "mutation",
      path: "auth.signUp",
      input: undefined,
      ctx: undefined,
      shape: {
        message: trpcError.message,
        code: -32600,
        data: { code: trpcError.code, httpStatus: 400, path: "auth.signUp" },
      },
    }) as { data: { fieldErrors: [string, string[]][] } };
    return Object.fromEntries(shape.data.fieldErrors);
  }
  throw new Error("expected the call to fail");
}

const policy = { maxFailures: 5, lockoutMinutes: 15 };

describe.each(testDatabaseKinds())("sign-up on %s", (kind) => {
  // Each test starts from an empty database: sign-up depends on whether an admin exists and on
  // the sign-up setting, so no test may lean on another's accounts (the order is shuffled).
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await handle?.close();
  });

  async function firstAdmin(): Promise<number> {
    await callerFor(handle.db, null).auth.signUp({
      name: "Ada",
      email: "Ada@Example.com",
      password: "long enough pw",
    });
    const signedIn = await authenticate(
      handle.db,
      { email: "ada@example.com", password: "long enough pw" },
      null,
      policy,
    );
    if (!signedIn.ok || signedIn.user.role !== "admin")
      throw new Error("the first sign-up did not make an admin");
    return signedIn.user.id;
  }

  it("lets the first account sign up on an empty database and makes it the admin", async () => {
    const api = callerFor(handle.db, null);
    expect(
      await api.auth.signUp({ name: "Ada", email: "Ada@Example.com", password: "long enough pw" }),
    ).toEqual({
      status: "submitted",
    });
    const signedIn = await authenticate(
      handle.db,
      { email: "ada@example.com", password: "long enough pw" },
      null,
      policy,
    );
    expect(signedIn).toMatchObject({ ok: true, user: { role: "admin" } });
  });

  it("is closed after the first admin exists, whatever the email, with a message that says what to do", async () => {
    await firstAdmin();
    const api = callerFor(handle.db, null);
    for (const email of ["ada@example.com", "newcomer@example.com"]) {
      await expect(
        api.auth.signUp({ name: "Someone", email, password: "long enough pw" }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringContaining("Ask an admin"),
      });
    }
  });

  it("makes later sign-ups viewers once an admin opens sign-up, and audits the switch", async () => {
    const adminId = await firstAdmin();
    await setSetting(handle.db, { id: adminId, label: "ada@example.com" }, SIGN_UP_SETTING, { open: true });
    const api = callerFor(handle.db, null);
    await api.auth.signUp({ name: "Bob", email: "bob@example.com", password: "long enough pw" });
    expect(
      await authenticate(handle.db, { email: "bob@example.com", password: "long enough pw" }, null, policy),
    ).toMatchObject({ ok: true, user: { role: "viewer" } });
    const { entries } = await listAudit(handle.db, { limit: 5, action: "settings.update" });
    expect(entries[0]).toMatchObject({
      actorId: adminId,
      targetId: "sign_up",
      details: { value: { open: true } },
    });
  });

  it("reports a bad email and a short password as field errors", async () => {
    const api = callerFor(handle.db, null);
    const errors = await fieldErrorsOf(
      api.auth.signUp({ name: "Cy", email: "not-an-email", password: "short" }),
    );
    expect(errors.email).toEqual(["Enter a valid email address, like name@company.com"]);
    expect(errors.password).toEqual(["Use at least 12 characters"]);
    expect(errors.name).toBeUndefined();
  });

  it("refuses passwords of only spaces, ten spaces, and the most common passwords", async () => {
    const api = callerFor(handle.db, null);
    const attempt = (password: string) =>
      fieldErrorsOf(api.auth.signUp({ name: "Cy", email: "cy@example.com", password }));
    expect((await attempt(" ".repeat(10))).password).toEqual(["Use at least 12 characters"]);
    expect((await attempt(" ".repeat(14))).password).toEqual(["A password cannot be only spaces"]);
    expect((await attempt("password12")).password).toEqual(["Use at least 12 characters"]);
    for (const common of ["password1234", "Password123!", "qwertyuiop123", "123456789012", "aaaaaaaaaaaa"]) {
      expect((await attempt(common)).password?.[0]).toMatch(/one of the most common passwords/);
    }
  });

  it("answers an existing email exactly as a new one, leaves that account alone, and audits the attempt", async () => {
    const adminId = await firstAdmin();
    await setSetting(handle.db, { id: adminId, label: "ada@example.com" }, SIGN_UP_SETTING, { open: true });
    const api = callerFor(handle.db, null);
    const { user, password } = await createUser(handle.db, "manager");
    const answer = await api.auth.signUp({
      name: "Impostor",
      email: user.email.toUpperCase(),
      password: "another long password",
    });
    const fresh = await api.auth.signUp({
      name: "Dee",
      email: "dee@example.com",
      password: "another long password",
    });
    expect(answer).toEqual(fresh);
    expect(await authenticate(handle.db, { email: user.email, password }, null, policy)).toMatchObject({
      ok: true,
      user: { name: user.name, role: "manager" },
    });
    const { entries } = await listAudit(handle.db, { limit: 5, action: "user.sign_up_existing_email" });
    expect(entries[0]).toMatchObject({ targetId: String(user.id), details: { email: user.email } });
  });
});
