/**
 * `npm run admin:create -- --email you@example.com [--name "Your Name"] [--promote] [--url https://…]`
 *
 * The deploy step that gives a fresh deployment its first admin. On AWS Lambda the first sign-up
 * does not become admin (a public URL would go to whoever found it first), so after
 * `npx sst deploy` run this against the deployed database (README "Deploy to AWS"). It prints a
 * one-time set-password link (72 hours); nobody but the person who opens it learns the password.
 * Safe to re-run: an existing admin is left alone.
 */
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase } from "../server/db/client";
import { serverEnv } from "../server/env";
import { createFirstAdmin } from "../server/services/users";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    promote: { type: "boolean", default: false },
    url: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
const usage =
  'usage: npm run admin:create -- --email you@example.com [--name "Your Name"] [--promote] [--url https://churnguard.example.com]';
if (values.help || !values.email) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const env = serverEnv();
const origin = (values.url ?? env.AUTH_URL ?? "http://localhost:3000")
  .replace(/\/+$/, "")
  .replace(/\/api\/auth$/, "");
try {
  const { db } = await getDatabase();
  const result = await createFirstAdmin(db, {
    email: values.email,
    name: values.name,
    promote: values.promote,
  });
  if (result.status === "already-admin") {
    console.log(`${result.user.email} is already an admin: nothing changed.`);
  } else {
    console.log(`${result.user.email} is now an admin (${result.status}).`);
    if (result.link) {
      console.log(`Set-password link (once, valid until ${result.link.expiresAt.toISOString()}):`);
      console.log(`  ${origin}/set-password/${result.link.token}`);
    } else {
      console.log("They sign in with their existing password.");
    }
  }
} catch (error) {
  console.error(`admin:create failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
