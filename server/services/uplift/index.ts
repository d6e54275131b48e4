/** The uplift model: fit from recorded campaign outcomes, its Qini result, and the uplift × value ranking. */
export * from "./schemas";
export * from "./uplift";
