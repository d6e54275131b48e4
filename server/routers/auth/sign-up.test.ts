import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { listAudit } from "../../services/audit";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor } from "../../testing/factories";

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

describe.each(testDatabaseKinds())("sign-up on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("makes the first account an admin and later accounts viewers", async () => {
    const api = callerFor(handle.db, null);
    const first = await api.auth.signUp({
      name: "Ada",
      email: "Ada@Example.com",
      password: "long enough pw",
    });
    const second = await api.auth.signUp({
      name: "Bob",
      email: "bob@example.com",
      password: "long enough pw",
    });
    expect(first).toMatchObject({ email: "ada@example.com", role: "admin" });
    expect(second).toMatchObject({ email: "bob@example.com", role: "viewer" });
    const { entries } = await listAudit(handle.db, { limit: 10, action: "user.sign_up" });
    expect(entries.map((e) => e.details.email)).toEqual(["bob@example.com", "ada@example.com"]);
  });

  it("reports a bad email and a short password as field errors", async () => {
    const api = callerFor(handle.db, null);
    const errors = await fieldErrorsOf(
      api.auth.signUp({ name: "Cy", email: "not-an-email", password: "short" }),
    );
    expect(errors.email).toEqual(["Enter a valid email address, like name@company.com"]);
    expect(errors.password).toEqual(["Use at least 10 characters"]);
    expect(errors.name).toBeUndefined();
  });

  it("reports a duplicate email (any case) as a field error on email", async () => {
    const api = callerFor(handle.db, null);
    const errors = await fieldErrorsOf(
      api.auth.signUp({ name: "Ada again", email: "ADA@example.com", password: "long enough pw" }),
    );
    expect(errors.email).toEqual(["An account with this email already exists"]);
  });
});
