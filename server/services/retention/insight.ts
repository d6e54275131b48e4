/**
 * One customer, explained and turned into decisions: the prediction, the reasons in plain words
 * split into what the business can act on and context, the playbook's actions and the next-best
 * action. Shared by the what-if page, customer detail and the REST API, so a customer reads the
 * same wherever they are looked at.
 */

import { columnRecord, fieldOf } from "@/lib/column-record";
import {
  type CellValue,
  type ColumnKind,
  columnKinds,
  describeDriver,
  findNextBestAction,
  type NextBestAction,
  type Playbook,
  type RetentionAction,
  recommendActions,
} from "@/lib/retention";
import type { Database } from "../../db/client";
import type { CustomerPrediction, Predictor } from "../predictions";
import { getPlaybook } from "./playbook-setting";

export interface CustomerReason {
  column: string;
  /** The customer's value as scored (null when missing and imputed). */
  value: CellValue;
  /** Signed change in P(churn) on the 0..1 scale (0.18 = +18 probability points). */
  points: number;
  /** "Contract = Month-to-month raises risk by 18 points". */
  text: string;
  kind: ColumnKind;
}

export interface CustomerInsight {
  prediction: CustomerPrediction;
  /** The top drivers, largest |points| first, both kinds. */
  reasons: CustomerReason[];
  /** Playbook actions for the drivers that raise the risk, largest driver first. */
  actions: RetentionAction[];
  nextBestAction: NextBestAction | null;
}

export interface CustomerInsightOptions {
  /** Refuse unreadable values and unseen categories (default true), as Predictor.predict. */
  strict?: boolean;
  /** How many reasons to return (default 10; Infinity for every input column). */
  reasonCount?: number;
  /** Skip the what-if search (one extra batched score call) when false. Default true. */
  nextBestAction?: boolean;
  /** The playbook to use instead of the one in settings. */
  playbook?: Playbook;
}

export const DEFAULT_REASON_COUNT = 10;

/** Throws PredictionInputError (naming the field) for data the model cannot score. */
export async function buildCustomerInsight(
  db: Database,
  predictor: Predictor,
  record: unknown,
  options: CustomerInsightOptions = {},
): Promise<CustomerInsight> {
  const [prediction] = predictor.predict([record], { strict: options.strict ?? true });
  const playbook = options.playbook ?? (await getPlaybook(db));
  return insightOf(predictor, record as Record<string, unknown>, prediction, playbook, options);
}

/** The synchronous part, for callers that already hold a prediction and the playbook. */
export function insightOf(
  predictor: Predictor,
  record: Record<string, unknown>,
  prediction: CustomerPrediction,
  playbook: Playbook,
  options: Pick<CustomerInsightOptions, "reasonCount" | "nextBestAction"> = {},
): CustomerInsight {
  const kinds = columnKinds(
    predictor.inputs.map((i) => i.name),
    playbook.columnKinds,
  );
  // The model's inputs only, as the pipeline reads them; absent fields stay absent (imputed).
  const inputsRecord = columnRecord<CellValue>();
  for (const input of predictor.inputs) {
    const value = fieldOf(record, input.name);
    if (
      value === null ||
      typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "boolean"
    )
      inputsRecord[input.name] = value;
  }
  const reasons = prediction.contributions.slice(0, options.reasonCount ?? DEFAULT_REASON_COUNT).map(
    (c): CustomerReason => ({
      column: c.column,
      value: c.value,
      points: c.probability,
      text: describeDriver(c.column, c.value, c.probability),
      kind: kinds.get(c.column) ?? "context",
    }),
  );
  const actions = recommendActions(prediction.contributions, inputsRecord, playbook);
  const nextBestAction =
    options.nextBestAction === false
      ? null
      : findNextBestAction({
          record: inputsRecord,
          inputs: predictor.inputs,
          kinds,
          playbook,
          score: (records) => predictor.score(records),
        });
  return { prediction, reasons, actions, nextBestAction };
}
