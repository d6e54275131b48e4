/**
 * The data side of the model library: reading a churn CSV, inferring its schema, and the typed
 * frame the feature pipeline reads.
 *
 *   const parsed = parseCsv(bytes);                          // whole file in memory
 *   // or, for uploads: for await (const batch of readCsvBatches(chunks)) { ... }
 *   const schema = inferSchema(parsed, { target: "Churn" }); // DatasetError if not trainable
 *   const preview = profileDataset(parsed);                  // never throws on data problems
 *   const { frame, labels } = buildTrainingSet(parsed, schema);
 *
 * Every user-fixable problem is a DatasetError (errors.ts) with a code and a message. Browser
 * code should import "./dataset-schema" directly: csv.ts needs Node (csv-parse, node:events).
 */
export * from "./byte-inspector";
export * from "./capacity";
export * from "./column-auc";
export * from "./column-names";
export * from "./csv";
export * from "./dataset-schema";
export * from "./errors";
export * from "./frame";
export * from "./schema-inference";
export * from "./values";
