/**
 * Server CPU per page render, measured sequentially (one request at a time) against a running
 * server: CPU time of the server process and its workers (from /proc) divided by the requests.
 * Robust on a shared machine, where requests per second are not.
 *
 *   tsx scripts/bench/render-cost.ts --url http://127.0.0.1:3615 --pid <server pid> \
 *       --email … --password … [--requests 50] [--pages /dashboard,/customers]
 */
import { parseArgs } from "node:util";
import { serverCpuMs, signIn } from "./server-harness";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3615" },
    pid: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    requests: { type: "string", default: "50" },
    pages: { type: "string", default: "/dashboard,/customers,/models,/analytics" },
    rsc: { type: "boolean", default: false },
    identity: { type: "boolean", default: false },
  },
});

async function main() {
  const pid = Number(values.pid);
  const cookie = await signIn(values.url, { email: values.email ?? "", password: values.password ?? "" });
  const requests = Number(values.requests);
  // A client-side navigation asks for the RSC payload only (what a sidebar click costs the server).
  const headers: Record<string, string> = values.rsc ? { cookie, rsc: "1" } : { cookie };
  // --identity: no compressed answer (as behind a proxy or CDN that compresses itself).
  if (values.identity) headers["accept-encoding"] = "identity";
  for (const page of (values.pages ?? "").split(",")) {
    for (let i = 0; i < 5; i++) await (await fetch(`${values.url}${page}`, { headers })).text(); // warm-up
    const cpuBefore = serverCpuMs(pid);
    const started = performance.now();
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`${values.url}${page}`, { headers, redirect: "manual" });
      await response.text();
      if (response.status !== 200) throw new Error(`${page}: ${response.status}`);
    }
    const wallMs = (performance.now() - started) / requests;
    const cpuMs = (serverCpuMs(pid) - cpuBefore) / requests;
    console.log(
      `${page.padEnd(16)} server CPU ${cpuMs.toFixed(1)} ms/request · wall ${wallMs.toFixed(1)} ms/request (${requests} sequential${values.rsc ? ", RSC payload" : ""})`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
