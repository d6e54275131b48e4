/**
 * Feature engineering: one FeaturePipeline per training fold, fitted on that fold's rows only.
 *
 *   const pipeline = FeaturePipeline.fromSchema(schema, { standardize: true }).fit(frame, trainRows);
 *   const Xtrain = pipeline.transform(frame, trainRows);
 *   const Xvalid = pipeline.transform(frame, validRows);
 *   const { matrix, warnings } = pipeline.transformRecords([{ tenure: 3, Contract: "Month-to-month" }]);
 *   pipeline.featureSources / featureSourceNames   // fold SHAP values per column
 *   pipeline.categoricalGroups                     // for SMOTE-NC
 *   pipeline.describeInputs()                      // for the what-if form
 *   FeaturePipeline.fromJSON(JSON.stringify(pipeline))
 */
export * from "./engineered";
export * from "./pipeline";
