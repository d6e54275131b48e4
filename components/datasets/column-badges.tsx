import { AlertTriangle, Fingerprint, KeyRound, ShieldOff, Target } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { ColumnSchema, ExclusionReason } from "@/lib/ml/data/dataset-schema";

const REASON_LABELS: Record<ExclusionReason, string> = {
  identifier: "Identifier-like",
  personal_data: "Personal data",
  constant: "Constant",
  near_constant: "Almost constant",
  leakage: "Leakage suspected",
  date: "Date",
  high_cardinality: "Too many values",
  user: "Excluded by you",
};

const PERSONAL_LABELS: Record<NonNullable<ColumnSchema["personalData"]>, string> = {
  email: "e-mail",
  phone: "phone",
  person_name: "name",
  address: "address",
  birth_date: "birth date",
  free_text: "free text",
};

type BadgeColumn = Pick<ColumnSchema, "role" | "exclusionReason" | "personalData" | "singleColumnAuc">;

/** The role of a column as badges: target, identifier, feature, or excluded and why. */
export function ColumnRoleBadges({ column }: { column: BadgeColumn }) {
  const badges = [];
  if (column.role === "target") {
    badges.push(
      <Badge key="target">
        <Target aria-hidden="true" />
        Target
      </Badge>,
    );
  } else if (column.role === "identifier") {
    badges.push(
      <Badge key="id" variant="secondary">
        <KeyRound aria-hidden="true" />
        Identifier
      </Badge>,
    );
  } else if (column.role === "feature") {
    badges.push(
      <Badge key="feature" variant="outline">
        Feature
      </Badge>,
    );
  } else {
    badges.push(
      <Badge key="excluded" variant="outline" className="text-muted-foreground">
        Excluded
      </Badge>,
    );
  }
  if (column.personalData) {
    badges.push(
      <Badge key="pii" variant="warning" title="Personal data is excluded from models by default">
        <ShieldOff aria-hidden="true" />
        Personal data ({PERSONAL_LABELS[column.personalData]})
      </Badge>,
    );
  }
  if (column.exclusionReason === "leakage") {
    badges.push(
      <Badge
        key="leak"
        variant="destructive"
        title={`Alone it separates churners almost perfectly${column.singleColumnAuc ? ` (AUC ${column.singleColumnAuc.toFixed(3)})` : ""}: it was probably recorded after the churn`}
      >
        <AlertTriangle aria-hidden="true" />
        Leakage warning
      </Badge>,
    );
  } else if (
    column.exclusionReason &&
    column.exclusionReason !== "personal_data" &&
    !(column.role === "identifier" && column.exclusionReason === "identifier")
  ) {
    badges.push(
      <Badge key="reason" variant="outline" className="text-muted-foreground">
        {column.exclusionReason === "identifier" ? <Fingerprint aria-hidden="true" /> : null}
        {REASON_LABELS[column.exclusionReason]}
      </Badge>,
    );
  }
  return <div className="flex flex-wrap gap-1">{badges}</div>;
}

const TYPE_LABELS: Record<ColumnSchema["type"], string> = {
  numeric: "Number",
  categorical: "Category",
  boolean: "Yes/No",
  date: "Date",
  text: "Text",
};

export function ColumnTypeBadge({ type }: { type: ColumnSchema["type"] }) {
  return (
    <Badge variant="secondary" className="font-mono font-normal">
      {TYPE_LABELS[type]}
    </Badge>
  );
}
