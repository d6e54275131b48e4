/** The Customers pages: scored customers of a dataset (list, filters) and one customer's detail. */
export * from "./detail";
export * from "./list";
export * from "./scope";
