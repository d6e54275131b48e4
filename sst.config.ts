/// <reference path="./.sst/platform/config.d.ts" />

/**
 * AWS deployment: Next.js on Lambda behind CloudFront (OpenNext), PostgreSQL on RDS, files on S3.
 * Deploy with `npx sst deploy --stage production` (needs AWS credentials; see README "Deploy").
 * The app reads the same environment variables as everywhere else, so the embedded defaults
 * switch off simply because DATABASE_URL and the others are set here.
 */
export default $config({
  app(input) {
    return {
      name: "churnguard",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      providers: { aws: { region: process.env.AWS_REGION ?? "eu-west-1" } },
    };
  },
  async run() {
    const vpc = new sst.aws.Vpc("Vpc", { nat: "ec2", bastion: $app.stage !== "production" });
    const database = new sst.aws.Postgres("Database", {
      vpc,
      version: "16.4",
      instance: $app.stage === "production" ? "t4g.small" : "t4g.micro",
      database: "churnguard",
    });
    const files = new sst.aws.Bucket("Files");
    const authSecret = new sst.Secret("AuthSecret");

    const web = new sst.aws.Nextjs("Web", {
      vpc,
      link: [database, files],
      server: { memory: "2048 MB", timeout: "60 seconds" },
      environment: {
        DATABASE_URL: $interpolate`postgres://${database.username}:${database.password}@${database.host}:${database.port}/${database.database}?sslmode=require`,
        AUTH_SECRET: authSecret.value,
        S3_BUCKET: files.name,
        SEED_DEMO: "never",
      },
    });

    return { url: web.url, bucket: files.name };
  },
});
