export {
  BLEND_SPACES,
  BLEND_WEIGHT_STEPS,
  type BlendChoice,
  BlendClassifier,
  type BlendEvaluation,
  type BlendMember,
  type BlendSpace,
  blendProbabilities,
  chooseBlend,
  crossFitBlend,
} from "./blend";
export {
  type BlendChurnModelsOptions,
  type BlendMemberInput,
  type BlendSummary,
  blendChurnModels,
  type TrainedBlend,
  trainBlend,
} from "./blend-model";
