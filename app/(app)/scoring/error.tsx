"use client";

import { AlertCircle } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function ScoringError({ reset }: { error: Error; reset: () => void }) {
  return (
    <Alert variant="destructive">
      <AlertCircle aria-hidden="true" />
      <AlertTitle>The scoring page could not be loaded</AlertTitle>
      <AlertDescription>
        <p>Something went wrong on our side while reading the scored files. Try again in a moment.</p>
        <Button variant="outline" size="sm" className="mt-2" onClick={reset}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
