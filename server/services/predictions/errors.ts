/** Why a prediction request was refused: every problem names the field (and the record in a batch). */
export type PredictionIssueCode = "unknown_field" | "wrong_type" | "unknown_category" | "invalid_record";

export interface PredictionIssue {
  /** Index of the customer in the request (0 for a single customer). */
  index: number;
  field: string;
  code: PredictionIssueCode;
  message: string;
}

export class PredictionInputError extends Error {
  readonly issues: PredictionIssue[];
  constructor(issues: PredictionIssue[]) {
    super(issues.length ? issues[0].message : "Invalid customer data");
    this.name = "PredictionInputError";
    this.issues = issues;
  }
}

/** The dataset does not exist or has no champion model to score with. */
export class NoChampionError extends Error {
  readonly datasetId: number;
  readonly reason: "no_dataset" | "no_champion";
  constructor(datasetId: number, reason: "no_dataset" | "no_champion") {
    super(
      reason === "no_dataset"
        ? `Dataset ${datasetId} does not exist`
        : `Dataset ${datasetId} has no champion model yet: train and promote a model first`,
    );
    this.name = "NoChampionError";
    this.datasetId = datasetId;
    this.reason = reason;
  }
}
