/** The demo admin the e2e server is started with (scripts/e2e-server.mjs via playwright.config.ts). */
export const E2E_ADMIN = { email: "admin@churnguard.local", password: "e2e-admin-password" };
