import { AlertTriangle } from "lucide-react";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

export interface DriftAlertView {
  datasetId: number;
  datasetName: string;
  sources: string[];
  columns: string[];
}

const quoted = (names: string[]) => {
  const shown = names.slice(0, 3).map((n) => `“${n}”`);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
};

/** The dashboard's warning: an important column moved past PSI 0.2 since the champion was trained. */
export function DriftAlertBanner({ alerts }: { alerts: DriftAlertView[] }) {
  if (alerts.length === 0) return null;
  return (
    <section className="space-y-3" aria-label="Drift alerts">
      {alerts.map((a) => (
        <Alert key={a.datasetId} variant="destructive">
          <AlertTriangle aria-hidden="true" />
          <AlertTitle>Significant drift in {a.datasetName}</AlertTitle>
          <AlertDescription>
            <p>
              {quoted(a.columns)} {a.columns.length === 1 ? "has" : "have"} shifted in {a.sources[0]}
              {a.sources.length > 1 ? ` (and ${a.sources.length - 1} more)` : ""} compared with the data the
              champion was trained on, so its risk scores may be off.{" "}
              <Link
                href={`/drift?dataset=${a.datasetId}`}
                className="font-medium underline underline-offset-4"
              >
                See the drift report
              </Link>{" "}
              or{" "}
              <Link
                href={`/train?dataset=${a.datasetId}`}
                className="font-medium underline underline-offset-4"
              >
                retrain now
              </Link>
              .
            </p>
          </AlertDescription>
        </Alert>
      ))}
    </section>
  );
}
