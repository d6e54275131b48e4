/** Sent with every response; scripts/serve.mjs adds them to the answers it gives outside Next.js. */
export const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Parallel builds on one checkout (several people or agents) each use their own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native or WASM packages load files next to themselves at run time: keep them out of the bundle.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@node-rs/argon2",
    "pdfkit",
    "postgres",
    // pino and pino-pretty load optional modules and worker files by path at run time.
    "pino",
    "pino-pretty",
    "thread-stream",
    "prom-client",
  ],
  // Migrations are read from disk on start, so deployments must ship them.
  outputFileTracingIncludes: { "/*": ["./server/db/migrations/**/*", "./data/*.csv"] },
  // `npm test` typechecks and lints the whole tree first; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Next.js answers `/path/` with a 308 to `/path`; a client that does not follow redirects for a
  // POST (curl without -L, many SDKs) gets no answer. The REST API is called at `/api/ml/predict/` by
  // earlier clients, so API paths answer with or without the trailing slash (a rewrite keeps method
  // and body), and pages keep the redirect.
  skipTrailingSlashRedirect: true,
  // No client-side staleTimes for dynamic pages (Next's default 0): with 30 s, a page visited before
  // a mutation that does not call router.refresh() (settings forms, API keys, users…) came back from
  // the sidebar with its old data. Transitions stay fast through prefetched loading states.
  async redirects() {
    return [{ source: "/:path((?!api/)(?:[^/]+/)*[^/]+)/", destination: "/:path", permanent: true }];
  },
  async rewrites() {
    return { beforeFiles: [{ source: "/api/:path+/", destination: "/api/:path+" }] };
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
