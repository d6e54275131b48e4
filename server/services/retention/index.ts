/** Retention: the playbook in settings and the customer insight (reasons, actions, next-best action). */
export type {
  NextBestAction,
  NextBestActionOption,
  Playbook,
  ProposedChange,
  RetentionAction,
} from "@/lib/retention";
export {
  buildCustomerInsight,
  type CustomerInsight,
  type CustomerInsightOptions,
  type CustomerReason,
  DEFAULT_REASON_COUNT,
  insightOf,
} from "./insight";
export { getPlaybook, RETENTION_PLAYBOOK_SETTING } from "./playbook-setting";
export {
  getPredictForm,
  listPredictDatasets,
  type PredictDataset,
  type PredictForm,
  type PredictFormInput,
} from "./predict-form";
