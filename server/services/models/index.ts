/**
 * The model registry: leaderboard and detail queries, champion changes (promote, rollback),
 * artifacts in storage, and loadChampion for scoring and the prediction API.
 */
export {
  ArtifactIntegrityError,
  artifactKey,
  clearModelCache,
  loadModel,
  loadModelArtifact,
  rememberModel,
  saveModelArtifact,
  sha256Hex,
} from "./artifacts";
export { type LoadedChampion, loadChampion } from "./champion";
export {
  compareModels,
  getModel,
  LEADERBOARD_SORTS,
  type LeaderboardRow,
  type LeaderboardSort,
  type ListModelsInput,
  listModelDatasets,
  listModels,
  listModelsInputSchema,
  type ModelDetail,
  modelsOfRuns,
} from "./queries";
export {
  type CandidateModelInput,
  type ChampionChange,
  type ModelRecord,
  promoteModel,
  rollbackModel,
  setChampion,
  upsertCandidateModel,
} from "./registry";
export type { StoredModelCurves, StoredModelMetrics, StoredModelParams } from "./stored";
