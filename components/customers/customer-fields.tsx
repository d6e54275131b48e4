import { Badge } from "@/components/ui/badge";
import { formatFieldValue } from "./format";

export interface CustomerFieldEntry {
  name: string;
  value: string | number | null;
  role: string;
}

const ROLE_LABELS: Record<string, string> = {
  identifier: "Identifier",
  target: "Target",
  excluded: "Not used",
};

/** Every stored field of a customer, in file order; fields the model does not use are marked. */
export function CustomerFields({ fields }: { fields: CustomerFieldEntry[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 xl:grid-cols-3">
      {fields.map((f) => (
        <div
          key={f.name}
          className="flex min-w-0 items-baseline justify-between gap-3 border-b border-dashed py-1"
        >
          <dt className="flex min-w-0 items-center gap-1.5 truncate text-muted-foreground" title={f.name}>
            <span className="truncate">{f.name}</span>
            {ROLE_LABELS[f.role] && (
              <Badge variant="outline" className="px-1.5 py-0 font-normal text-[10px]">
                {ROLE_LABELS[f.role]}
              </Badge>
            )}
          </dt>
          <dd
            className={f.value === null ? "text-muted-foreground italic" : "truncate text-right font-medium"}
          >
            {formatFieldValue(f.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
