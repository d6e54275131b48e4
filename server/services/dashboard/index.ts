/** The dashboard: a dataset's churn overview from its champion's stored scores. */
export * from "./overview";
