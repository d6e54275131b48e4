import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { getInngest } from "@/jobs/client";
import { toInngestFunctionList } from "@/jobs/inngest-adapter";
import { getDurableFunctions } from "@/jobs/registry";
import { usesInngest } from "@/server/env";

/**
 * Inngest calls this endpoint to sync the app's functions and to run their steps. It only means
 * something when Inngest is configured (INNGEST_SIGNING_KEY, or INNGEST_DEV=1 with a dev server);
 * otherwise jobs run in the embedded runner and this answers 404 instead of Inngest's 500.
 */
export const dynamic = "force-dynamic";
// Steps (model training) can run for minutes; Inngest retries a step whose request timed out.
export const maxDuration = 300;

const handler = serve({ client: getInngest(), functions: toInngestFunctionList(getDurableFunctions()) });

function guarded(method: "GET" | "POST" | "PUT") {
  return (request: NextRequest, context: unknown) => {
    if (!usesInngest()) {
      return Response.json(
        { error: "Inngest is not configured; durable jobs run in the embedded runner." },
        { status: 404 },
      );
    }
    return handler[method](request, context);
  };
}

export const GET = guarded("GET");
export const POST = guarded("POST");
export const PUT = guarded("PUT");
