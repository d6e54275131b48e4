import { Badge } from "@/components/ui/badge";

/** How the file's columns line up with the model: used, imputed (missing) and ignored. */
export function ColumnMatch({
  used,
  missing,
  ignored,
  identifier,
  target,
}: {
  used: string[];
  missing: string[];
  ignored: string[];
  identifier: string | null;
  target: string | null;
}) {
  return (
    <dl className="space-y-3 text-sm" data-testid="column-match">
      <div>
        <dt className="font-medium">
          Used by the model <span className="text-muted-foreground">({used.length})</span>
        </dt>
        <dd className="mt-1 flex flex-wrap gap-1">
          {used.map((c) => (
            <Badge key={c} variant="secondary">
              {c}
            </Badge>
          ))}
        </dd>
      </div>
      {missing.length > 0 && (
        <div>
          <dt className="font-medium">
            Missing, imputed for every row <span className="text-muted-foreground">({missing.length})</span>
          </dt>
          <dd className="mt-1 flex flex-wrap gap-1">
            {missing.map((c) => (
              <Badge key={c} variant="warning">
                {c}
              </Badge>
            ))}
          </dd>
          <p className="mt-1 text-muted-foreground text-xs">
            The model fills these in with the typical training value; scores are less specific without them.
          </p>
        </div>
      )}
      {ignored.length > 0 && (
        <div>
          <dt className="font-medium">
            Ignored <span className="text-muted-foreground">({ignored.length})</span>
          </dt>
          <dd className="mt-1 flex flex-wrap gap-1">
            {ignored.map((c) => (
              <Badge key={c} variant="outline">
                {c}
                {c === identifier ? " · customer id" : c === target ? " · churn column" : ""}
              </Badge>
            ))}
          </dd>
          <p className="mt-1 text-muted-foreground text-xs">
            Kept as they are in the downloaded file.
            {identifier
              ? ` "${identifier}" identifies the customers.`
              : " No column identifies customers uniquely; rows are numbered."}
          </p>
        </div>
      )}
    </dl>
  );
}
