/**
 * The Inngest endpoint as its own AWS Lambda function (sst.config.ts: `InngestFunction`, 15-minute
 * timeout), because OpenNext runs every route of the Next.js server under one function whose 60 s
 * limit ignores `maxDuration`: a training step on 100k rows takes about 32 s on a fresh instance
 * and would exceed it above ~200k rows on every retry. Same functions, same client, same
 * services as app/api/inngest; Inngest is pointed at this function's URL.
 */
import { serve } from "inngest/lambda";
import { assertDeployableConfiguration } from "@/server/env";
import { getInngest } from "./client";
import { toInngestFunctionList } from "./inngest-adapter";
import { getDurableFunctions } from "./registry";
import { wireDurableWork } from "./wire";

// A cold start with a configuration that cannot work here stops with the reason in the log.
assertDeployableConfiguration();
wireDurableWork();

export const handler = serve({
  client: getInngest(),
  functions: toInngestFunctionList(getDurableFunctions()),
});
