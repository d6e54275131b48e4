import { checkInterrupt } from "../interrupt";
import { takeLabels } from "../matrix";
import { rocAuc } from "../metrics";
import { deriveSeed } from "../random";
import type { Algorithm, Classifier, Labels } from "../types";
import { type Partition, stratifiedKFold } from "./split";
import { type BalanceStage, type ClassifierFactory, type FeatureStage, NO_BALANCING } from "./stages";

/**
 * Cross-validation of the whole pipeline: for every fold the feature stage is fitted on the
 * training rows only, balancing is applied to the encoded training rows only, the classifier is
 * fitted on the result, and only then are the validation rows transformed and scored. Nothing
 * fitted ever sees a validation row, so the out-of-fold predictions are honest.
 */

export interface CrossValidationOptions<TData> {
  data: TData;
  y: Labels;
  features: FeatureStage<TData>;
  createClassifier: ClassifierFactory;
  /** Default: no balancing. */
  balance?: BalanceStage;
  /** Default 5. */
  folds?: number;
  /** Seeds the folds and, derived per fold, the balancing and the classifier. Default 42. */
  seed?: number;
  /** Precomputed partitions (overrides folds/seed for the split), e.g. to compare strategies on identical folds. */
  partitions?: readonly Partition[];
  /** Called after each fold, e.g. for progress reporting. */
  onFold?: (fold: FoldResult) => void;
}

export interface FoldResult {
  readonly fold: number;
  readonly trainRows: number;
  /** Rows the classifier was fitted on (more than trainRows after SMOTE). */
  readonly fittedRows: number;
  readonly validationRows: number;
  readonly auc: number;
  /** Wall time of classifier.fit alone (single thread). */
  readonly fitSeconds: number;
  /** Wall time of feature fit + transform and balancing for this fold. */
  readonly prepareSeconds: number;
}

export interface CrossValidationResult {
  readonly algorithm: Algorithm;
  readonly balancing: string;
  readonly folds: readonly FoldResult[];
  readonly partitions: readonly Partition[];
  /** Out-of-fold P(churn) for every row, from the model that did not see it. */
  readonly oof: Float64Array;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

export function crossValidate<TData>(options: CrossValidationOptions<TData>): CrossValidationResult {
  const { data, y, features, createClassifier, balance = NO_BALANCING, seed = 42 } = options;
  const partitions = options.partitions ?? stratifiedKFold(y, { folds: options.folds ?? 5, seed });
  const oof = new Float64Array(y.length).fill(Number.NaN);
  const folds: FoldResult[] = [];
  let algorithm: Algorithm | undefined;
  partitions.forEach(({ train, validation }, fold) => {
    checkInterrupt();
    const foldSeed = deriveSeed(seed, fold);
    const prepareStart = performance.now();
    const fitted = features.fit(data, train);
    const XTrain = fitted.transform(data, train);
    const yTrain = takeLabels(y, train);
    const balanced = balance.apply(XTrain, yTrain, {
      seed: deriveSeed(foldSeed, 1),
      categoricalGroups: fitted.categoricalGroups,
    });
    let prepareSeconds = seconds(prepareStart);
    const classifier: Classifier = createClassifier(deriveSeed(foldSeed, 2), train);
    if (classifier.algorithm === "blend")
      throw new Error("A blend is assembled from cross-validated members");
    algorithm = classifier.algorithm;
    const fitStart = performance.now();
    classifier.fit(
      balanced.X,
      balanced.y,
      balanced.sampleWeight ? { sampleWeight: balanced.sampleWeight } : {},
    );
    const fitSeconds = seconds(fitStart);
    const transformStart = performance.now();
    const XValidation = fitted.transform(data, validation);
    prepareSeconds += seconds(transformStart);
    const proba = classifier.predictProba(XValidation);
    for (let i = 0; i < validation.length; i++) oof[validation[i]] = proba[i];
    const result: FoldResult = {
      fold,
      trainRows: train.length,
      fittedRows: balanced.X.rows,
      validationRows: validation.length,
      auc: rocAuc(takeLabels(y, validation), proba),
      fitSeconds,
      prepareSeconds,
    };
    folds.push(result);
    options.onFold?.(result);
  });
  for (let i = 0; i < oof.length; i++) {
    if (Number.isNaN(oof[i]))
      throw new Error(`Row ${i} is in no validation fold: the partitions must cover every row`);
  }
  if (!algorithm) throw new Error("Cross-validation needs at least one fold");
  return { algorithm, balancing: balance.name, folds, partitions, oof };
}
