"use client";

import { AlertCircle } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Shown when a datasets page fails to load (the server logged the cause with a reference). */
export default function DatasetsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <Alert variant="destructive" className="max-w-2xl">
      <AlertCircle aria-hidden="true" />
      <AlertTitle>The datasets could not be loaded</AlertTitle>
      <AlertDescription>
        <p>
          Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ""}. Try again; if
          it keeps failing, tell an admin.
        </p>
        <Button variant="outline" size="sm" className="mt-2" onClick={reset}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
