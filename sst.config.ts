/// <reference path="./.sst/platform/config.d.ts" />

/**
 * AWS deployment (README "Deploy to AWS"): Next.js on Lambda behind CloudFront (OpenNext), the
 * Inngest endpoint on its own long-timeout Lambda, PostgreSQL on RDS behind RDS Proxy, files in a
 * private KMS-encrypted S3 bucket, a WAF rate rule on sign-in and API paths, live progress on
 * Pusher. Nothing embedded runs on Lambda: the server refuses to start there without Inngest,
 * Pusher, PostgreSQL, S3 and a session secret (server/env.ts, assertDeployableConfiguration).
 *
 *   npx sst secret set AuthSecret "$(openssl rand -base64 32)" --stage production   (and the others)
 *   npx sst deploy --stage production
 *
 * Typechecked offline by `npm test` (scripts/typecheck-sst.sh) against SST's platform types.
 */

/** CloudWatch log retention of every function. */
const LOG_RETENTION = "1 month";
/** OpenNext 4.2.0 declares Next.js >=16.4.5 as supported (peerDependencies); SST 4.17.1's default (3.9.14) predates Next 16.4. */
const OPEN_NEXT_VERSION = "4.2.0";

export default $config({
  app(input) {
    const isProduction = input?.stage === "production";
    return {
      name: "churnguard",
      home: "aws",
      removal: isProduction ? "retain" : "remove",
      protect: isProduction,
      providers: { aws: { region: (process.env.AWS_REGION as aws.Region | undefined) ?? "eu-west-1" } },
    };
  },
  async run() {
    const { appEnvironment } = await import("./infra/app-environment");
    const isProduction = $app.stage === "production";

    // Private subnets with a NAT instance: the functions reach RDS inside and Inngest/Pusher outside.
    // The bastion lets `npx sst tunnel` reach the database for the first-admin step.
    const vpc = new sst.aws.Vpc("Vpc", { nat: "ec2", bastion: true });

    // RDS PostgreSQL behind RDS Proxy (tens of Lambda instances share its pool). Storage is
    // encrypted (sst.aws.Postgres sets storageEncrypted); in production the instance cannot be
    // deleted by accident, keeps a final snapshot and 7 days of backups, and removal retains it.
    const database = new sst.aws.Postgres(
      "Database",
      {
        vpc,
        version: "16.4",
        instance: isProduction ? "t4g.small" : "t4g.micro",
        database: "churnguard",
        proxy: true,
        transform: {
          instance: (args) => {
            args.storageEncrypted = true;
            args.deletionProtection = isProduction;
            args.skipFinalSnapshot = !isProduction;
            args.finalSnapshotIdentifier = isProduction ? `churnguard-${$app.stage}-final` : undefined;
            args.backupRetentionPeriod = isProduction ? 7 : 1;
          },
        },
      },
      { retainOnDelete: isProduction },
    );

    // Files: private (no public access, the default) and encrypted with a customer-managed KMS key.
    const filesKey = new aws.kms.Key("FilesKey", {
      description: `ChurnGuard ${$app.stage} uploaded files and model artefacts`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const files = new sst.aws.Bucket("Files", {}, { retainOnDelete: isProduction });
    new aws.s3.BucketServerSideEncryptionConfiguration("FilesEncryption", {
      bucket: files.name,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: filesKey.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    // Browsers upload straight to the bucket through presigned multipart URLs and download through
    // presigned GETs (Lambda stops at 6 MB each way): CORS must allow the PUT and expose ETag, which
    // the browser sends back to complete the upload. The signed URL is the authorisation.
    const publicOrigin = process.env.CHURNGUARD_DOMAIN ? `https://${process.env.CHURNGUARD_DOMAIN}` : "*";
    new aws.s3.BucketCorsConfiguration("FilesCors", {
      bucket: files.name,
      corsRules: [
        {
          allowedMethods: ["PUT", "GET", "HEAD"],
          allowedOrigins: [publicOrigin],
          allowedHeaders: ["*"],
          exposeHeaders: ["ETag"],
          maxAgeSeconds: 3000,
        },
      ],
    });
    // Parts of an upload the browser never completed are invisible but billed: drop them after a day.
    new aws.s3.BucketLifecycleConfiguration("FilesLifecycle", {
      bucket: files.name,
      rules: [
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: { prefix: "uploads/" },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    });
    const kmsAccess = {
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      resources: [filesKey.arn],
    };

    // Secrets: `npx sst secret set <Name> <value> --stage <stage>`. Cognito is optional (empty = off).
    const secrets = {
      authSecret: new sst.Secret("AuthSecret"),
      inngestEventKey: new sst.Secret("InngestEventKey"),
      inngestSigningKey: new sst.Secret("InngestSigningKey"),
      pusherAppId: new sst.Secret("PusherAppId"),
      pusherKey: new sst.Secret("PusherKey"),
      pusherSecret: new sst.Secret("PusherSecret"),
      pusherCluster: new sst.Secret("PusherCluster", "mt1"),
      cognitoClientId: new sst.Secret("CognitoClientId", ""),
      cognitoClientSecret: new sst.Secret("CognitoClientSecret", ""),
      cognitoIssuer: new sst.Secret("CognitoIssuer", ""),
    };
    const domain = process.env.CHURNGUARD_DOMAIN;

    const environment = appEnvironment(
      {
        databaseHost: database.host,
        databasePort: database.port.apply(String),
        databaseName: database.database,
        databaseUser: database.username,
        databasePassword: database.password,
        bucketName: files.name,
        authSecret: secrets.authSecret.value,
        ...(domain ? { publicUrl: $output(`https://${domain}`) } : {}),
        inngestEventKey: secrets.inngestEventKey.value,
        inngestSigningKey: secrets.inngestSigningKey.value,
        pusherAppId: secrets.pusherAppId.value,
        pusherKey: secrets.pusherKey.value,
        pusherSecret: secrets.pusherSecret.value,
        pusherCluster: secrets.pusherCluster.value,
        cognito: {
          clientId: secrets.cognitoClientId.value,
          clientSecret: secrets.cognitoClientSecret.value,
          issuer: secrets.cognitoIssuer.value,
        },
      },
      $interpolate,
    );
    const link = [database, files, ...Object.values(secrets)];

    // Migrations once per deploy: the migrator is invoked with an input that changes on every
    // deploy, and the web and Inngest functions wait for it, so a failing migration fails the deploy.
    const migrator = new sst.aws.Function("Migrator", {
      handler: "server/db/migrate-lambda.handler",
      vpc,
      link: [database],
      environment: { DATABASE_URL: environment.DATABASE_URL },
      copyFiles: [{ from: "server/db/migrations", to: "server/db/migrations" }],
      timeout: "5 minutes",
      logging: { retention: LOG_RETENTION },
    });
    const migration = new aws.lambda.Invocation("MigrateOnDeploy", {
      functionName: migrator.name,
      input: JSON.stringify({ deployedAt: Date.now() }),
    });

    // Inngest calls this function's URL (register `<InngestUrl>` in Inngest): 15 minutes per
    // request instead of the web server's 60 s, which OpenNext applies to every route.
    const inngest = new sst.aws.Function(
      "InngestFunction",
      {
        handler: "jobs/inngest-lambda.handler",
        url: true,
        vpc,
        link,
        environment,
        permissions: [kmsAccess],
        memory: "3008 MB",
        timeout: "15 minutes",
        copyFiles: [
          { from: "server/db/migrations", to: "server/db/migrations" },
          { from: "data", to: "data" },
        ],
        // Native binding (argon2) and pdfkit's font files must stay node_modules, not bundled.
        nodejs: { install: ["@node-rs/argon2", "pdfkit"] },
        logging: { retention: LOG_RETENTION },
      },
      { dependsOn: [migration] },
    );

    // WAF on CloudFront (a CloudFront web ACL lives in us-east-1): per client address, at most 100
    // sign-in attempts and 6,000 API calls per 5 minutes, on top of the app's own lockout and
    // per-key rate limit; plus AWS's common-attack rules.
    const usEast1 = new aws.Provider("UsEast1", { region: "us-east-1" });
    const rateRule = (name: string, priority: number, pathPrefix: string, limit: number) => ({
      name,
      priority,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          limit,
          aggregateKeyType: "IP",
          evaluationWindowSec: 300,
          scopeDownStatement: {
            byteMatchStatement: {
              searchString: pathPrefix,
              positionalConstraint: "STARTS_WITH",
              fieldToMatch: { uriPath: {} },
              textTransformations: [{ priority: 0, type: "LOWERCASE" }],
            },
          },
        },
      },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });
    const waf = new aws.wafv2.WebAcl(
      "Waf",
      {
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules: [
          rateRule("sign-in-rate", 1, "/api/auth/", 100),
          rateRule("api-rate", 2, "/api/", 6000),
          {
            name: "aws-common",
            priority: 3,
            overrideAction: { none: {} },
            statement: {
              managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" },
            },
            visibilityConfig: {
              cloudwatchMetricsEnabled: true,
              metricName: "aws-common",
              sampledRequestsEnabled: true,
            },
          },
        ],
        visibilityConfig: {
          cloudwatchMetricsEnabled: true,
          metricName: "churnguard",
          sampledRequestsEnabled: true,
        },
      },
      { provider: usEast1 },
    );

    const web = new sst.aws.Nextjs(
      "Web",
      {
        vpc,
        link,
        environment,
        permissions: [kmsAccess],
        openNextVersion: OPEN_NEXT_VERSION,
        domain,
        server: { memory: "2048 MB", timeout: "60 seconds" },
        transform: {
          server: (args) => {
            args.logging = { retention: LOG_RETENTION };
          },
          cdn: (args) => {
            args.webAclArn = waf.arn;
          },
        },
      },
      { dependsOn: [migration] },
    );

    return { url: web.url, inngestUrl: inngest.url, bucket: files.name, migrator: migrator.name };
  },
});
