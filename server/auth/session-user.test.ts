import type { Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client";
import { listAudit } from "../services/audit";
import { authenticate, setRole, signOutEverywhere } from "../services/users";
import { createTestDatabase, testDatabaseKinds } from "../testing/database";
import { callerFor, createUser } from "../testing/factories";
import { userOfSession } from "./session-user";

const policy = { maxFailures: 5, lockoutMinutes: 15 };

/** The session next-auth decodes from the cookie issued at this sign-in. */
async function signInSession(handle: DatabaseHandle, email: string, password: string): Promise<Session> {
  const result = await authenticate(handle.db, { email, password }, "192.0.2.1", policy);
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return {
    expires: new Date(Date.now() + 3_600_000).toISOString(),
    user: {
      id: String(result.user.id),
      role: result.user.role,
      email,
      sessionVersion: result.user.sessionVersion,
    },
  };
}

describe.each(testDatabaseKinds())("sessions end on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function me(session: Session) {
    return callerFor(handle.db, await userOfSession(handle.db, session)).me();
  }

  it("refuses a copied cookie after sign-out, on every device, and audits the sign-out", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const laptop = await signInSession(handle, user.email, password);
    const phone = await signInSession(handle, user.email, password);
    expect(await me(laptop)).toMatchObject({ id: user.id });

    await signOutEverywhere(
      handle.db,
      { userId: user.id, sessionVersion: laptop.user.sessionVersion as number },
      null,
    );

    await expect(me(laptop)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(me(phone)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const again = await signInSession(handle, user.email, password);
    expect(await me(again)).toMatchObject({ id: user.id });
    const { entries } = await listAudit(handle.db, { limit: 1, action: "user.sign_out" });
    expect(entries[0]).toMatchObject({ actorId: user.id, targetId: String(user.id) });
  });

  it("does not let an old cookie's sign-out end the sessions that came after it", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const stolen = await signInSession(handle, user.email, password);
    await signOutEverywhere(
      handle.db,
      { userId: user.id, sessionVersion: stolen.user.sessionVersion as number },
      null,
    );
    const current = await signInSession(handle, user.email, password);
    await signOutEverywhere(
      handle.db,
      { userId: user.id, sessionVersion: stolen.user.sessionVersion as number },
      null,
    );
    expect(await me(current)).toMatchObject({ id: user.id });
  });

  it("ends a user's sessions when an admin changes their role", async () => {
    const { user: admin } = await createUser(handle.db, "admin");
    const { user, password } = await createUser(handle.db, "manager");
    const session = await signInSession(handle, user.email, password);
    await setRole(handle.db, { id: admin.id, label: admin.email }, user.id, "viewer");
    await expect(me(session)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const fresh = await signInSession(handle, user.email, password);
    expect(await me(fresh)).toMatchObject({ role: "viewer" });
  });

  it("refuses a cookie without a session version (issued before versions existed)", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const session = await signInSession(handle, user.email, password);
    delete session.user.sessionVersion;
    expect(await userOfSession(handle.db, session)).toBeNull();
  });
});
