import { BookOpen, KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { CurlExample } from "@/components/api-keys/curl-example";
import { PageHeader } from "@/components/layout/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverEnv } from "@/server/env";
import { API_KEY_SCOPE_HELP, API_KEY_SCOPES } from "@/server/services/api-keys";
import {
  API_ERROR_CODES,
  API_ERROR_STATUS,
  type ApiErrorCode,
  MAX_BATCH_CUSTOMERS,
} from "@/server/services/rest-api/schemas";
import { serverApi } from "@/server/trpc/server";

export const metadata: Metadata = { title: "API" };

const RESPONSE_FIELDS: [string, string][] = [
  ["risk_score", "Probability of churn, 0 to 1."],
  ["risk_level", "low, medium or high, from the risk bands an admin sets."],
  ["is_predicted_churn", "Whether the score is at or above the model's decision threshold."],
  ["insights", "The top drivers in plain words and the recommended retention action."],
  [
    "shap_values",
    "Each column's contribution as a change in churn probability on the 0–1 scale (0.18 = +18 points); base_value plus all of them is risk_score.",
  ],
  ["base_value", "The model's average prediction, where the contributions start."],
  ["warnings", "Fields that were missing and imputed as in training, or ignored."],
  ["model_version", "The champion's version for this dataset (with model_id and dataset_id)."],
];

async function originOf(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto =
    h.get("x-forwarded-proto") ??
    (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto.split(",")[0]}://${host.split(",")[0]}`;
}

export default async function ApiDocsPage() {
  const [user, api, origin] = await Promise.all([getCurrentUser(), serverApi(), originOf()]);
  const examples = await api.apiKeys.examples();
  const isAdmin = user?.role === "admin";
  const rateLimit = serverEnv().API_RATE_LIMIT_PER_MINUTE;

  return (
    <>
      <PageHeader
        title="Prediction API"
        description="Score customers from other systems (CRM, billing, a nightly job) with the same champion models, explanations and risk bands as this app."
        actions={
          <>
            <Button asChild variant="outline">
              <a href="/api/openapi.json" target="_blank" rel="noreferrer">
                <BookOpen aria-hidden="true" />
                OpenAPI document
              </a>
            </Button>
            {isAdmin && (
              <Button asChild>
                <Link href="/admin/api-keys">
                  <KeyRound aria-hidden="true" />
                  Create an API key
                </Link>
              </Button>
            )}
          </>
        }
      />
      {/* min-w-0: a grid item is at least as wide as its widest line (the curl command), which made
          the page scroll sideways on a phone; the code blocks scroll inside their own box instead. */}
      <div className="grid gap-6 *:min-w-0">
        <Card>
          <CardHeader>
            <CardTitle>Try it</CardTitle>
            <CardDescription>
              Put your key in <code className="font-mono">CHURNGUARD_API_KEY</code> and run the command. Every
              call needs <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>;{" "}
              {isAdmin ? (
                <>
                  create keys in{" "}
                  <Link href="/admin/api-keys" className="underline underline-offset-4">
                    Admin → API keys
                  </Link>
                  .
                </>
              ) : (
                "ask an admin for a key."
              )}
            </CardDescription>
          </CardHeader>
          <CardContent>
            {examples.length > 0 ? (
              <CurlExample origin={origin} datasets={examples} />
            ) : (
              <Alert>
                <AlertTitle>No dataset has a champion model yet</AlertTitle>
                <AlertDescription>
                  The API scores with a dataset's champion. Once a training run finishes, a working example
                  for that dataset appears here.
                </AlertDescription>
              </Alert>
            )}
          </CardContent>
        </Card>

        <div className="grid gap-6 *:min-w-0 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>Request</CardTitle>
              <CardDescription>
                <code className="font-mono">POST /api/v1/predict</code> (also{" "}
                <code className="font-mono">/api/ml/predict/</code>), a JSON body.
              </CardDescription>
            </CardHeader>
            <CardContent className="space-y-4 text-sm">
              <div>
                <p className="font-medium">One customer</p>
                <pre className="mt-1 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs">
                  {'{ "customer_data": { "tenure": 2, "Contract": "Month-to-month", … }, "dataset_id": 1 }'}
                </pre>
              </div>
              <p className="text-muted-foreground">
                Add <code className="font-mono">"next_best_action": true</code> to also get the next-best
                action: the cheapest change the model predicts lowers the risk most (a search that adds 10–20
                ms to the call).
              </p>
              <div>
                <p className="font-medium">
                  A batch (up to {MAX_BATCH_CUSTOMERS.toLocaleString("en")} customers)
                </p>
                <pre className="mt-1 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs">
                  {'{ "customers": [{ … }, { … }], "dataset_id": 1 }'}
                </pre>
                <p className="mt-1 text-muted-foreground">
                  Answers <code className="font-mono">{'{ "predictions": [ … ], "model_version" }'}</code> in
                  request order.
                </p>
              </div>
              <p className="text-muted-foreground">
                Columns are named as in the training file. Missing columns are filled in as in training and
                listed in <code className="font-mono">warnings</code>; unknown columns, wrong types and
                categories the model never saw are refused, naming the field.
              </p>
              <div>
                <p className="font-medium">Scopes</p>
                <ul className="mt-1 list-disc space-y-1 pl-5 text-muted-foreground">
                  {API_KEY_SCOPES.map((scope) => (
                    <li key={scope}>
                      <code className="font-mono text-foreground">{scope}</code>: {API_KEY_SCOPE_HELP[scope]}
                    </li>
                  ))}
                </ul>
              </div>
              <p className="text-muted-foreground">
                Each key may make {rateLimit.toLocaleString("en")} calls per minute; the{" "}
                <code className="font-mono">X-RateLimit-*</code> headers say how many are left.
              </p>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Response</CardTitle>
              <CardDescription>200 with a JSON object per customer.</CardDescription>
            </CardHeader>
            <CardContent>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Field</TableHead>
                    <TableHead>Meaning</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {RESPONSE_FIELDS.map(([field, meaning]) => (
                    <TableRow key={field}>
                      <TableCell className="align-top font-mono text-xs">{field}</TableCell>
                      <TableCell className="whitespace-normal text-muted-foreground">{meaning}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </div>

        <Card>
          <CardHeader>
            <CardTitle>Errors</CardTitle>
            <CardDescription>
              Every error is JSON:{" "}
              <code className="font-mono">{'{ "error": { "code", "message", "field", "index" } }'}</code>,
              where <code className="font-mono">field</code> names the field at fault and{" "}
              <code className="font-mono">index</code> the customer in a batch.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="w-20">Status</TableHead>
                  <TableHead className="w-48">Code</TableHead>
                  <TableHead>Meaning</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {(Object.keys(API_ERROR_CODES) as ApiErrorCode[]).map((code) => (
                  <TableRow key={code}>
                    <TableCell className="tabular-nums">{API_ERROR_STATUS[code]}</TableCell>
                    <TableCell className="font-mono text-xs">{code}</TableCell>
                    <TableCell className="whitespace-normal text-muted-foreground">
                      {API_ERROR_CODES[code]}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
