/**
 * The environment sst.config.ts gives ChurnGuard's Lambda functions (the Next.js server, the
 * Inngest endpoint, the migrator), as one pure function so a test can feed the result to the
 * server's own configuration module (server/env.ts) without an AWS account. Generic over the value
 * type: sst.config.ts passes Pulumi outputs, the test passes strings.
 *
 * Framework-free on purpose: sst.config.ts imports it inside run(), where only plain modules load.
 */

export interface AppResources<V> {
  /** RDS Proxy endpoint (sst.aws.Postgres with `proxy: true` reports it as `host`). */
  databaseHost: V;
  databasePort: V;
  databaseName: V;
  databaseUser: V;
  databasePassword: V;
  bucketName: V;
  authSecret: V;
  /**
   * Public https origin (the custom domain), for Auth.js callbacks and set-password links. Without
   * a domain it is left out: the CloudFront URL exists only after the site, and Auth.js then takes
   * the origin from the forwarded host (trustHost).
   */
  publicUrl?: V;
  inngestEventKey: V;
  inngestSigningKey: V;
  pusherAppId: V;
  pusherKey: V;
  pusherSecret: V;
  pusherCluster: V;
  /** Optional single sign-on through Amazon Cognito: all three or none. */
  cognito?: { clientId: V; clientSecret: V; issuer: V };
}

/** Builds a string from literal parts and values (`$interpolate` in SST, plain joining in tests). */
export type Interpolate<V> = (strings: TemplateStringsArray, ...values: V[]) => V;

export function appEnvironment<V>(
  resources: AppResources<V>,
  interpolate: Interpolate<V>,
): Record<string, V | string> {
  const r = resources;
  return {
    NODE_ENV: "production",
    // RDS requires TLS; the proxy presents Amazon's certificate.
    DATABASE_URL: interpolate`postgres://${r.databaseUser}:${r.databasePassword}@${r.databaseHost}:${r.databasePort}/${r.databaseName}?sslmode=require`,
    S3_BUCKET: r.bucketName,
    AUTH_SECRET: r.authSecret,
    ...(r.publicUrl !== undefined ? { AUTH_URL: r.publicUrl } : {}),
    INNGEST_EVENT_KEY: r.inngestEventKey,
    INNGEST_SIGNING_KEY: r.inngestSigningKey,
    PUSHER_APP_ID: r.pusherAppId,
    PUSHER_KEY: r.pusherKey,
    PUSHER_SECRET: r.pusherSecret,
    PUSHER_CLUSTER: r.pusherCluster,
    // Sign-up is closed until the deploy step creates the first admin (npm run admin:create).
    SEED_DEMO: "never",
    // Several instances serve at once: rate limits are counted in the database.
    API_RATE_LIMIT_STORE: "database",
    ...(r.cognito
      ? {
          AUTH_COGNITO_ID: r.cognito.clientId,
          AUTH_COGNITO_SECRET: r.cognito.clientSecret,
          AUTH_COGNITO_ISSUER: r.cognito.issuer,
        }
      : {}),
  };
}

/**
 * Plain-string interpolation, as `$interpolate` does it: values unescaped. The generated RDS
 * password is alphanumeric (sst.aws.Postgres: RandomPassword without special characters), so the
 * connection URL needs no escaping.
 */
export function interpolateStrings(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? values[i] : ""), "");
}
