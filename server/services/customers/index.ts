/**
 * The Customers pages: scored customers of a dataset (list, filters, CSV) and one customer's detail;
 * active and lost customers (status.ts).
 */
export * from "./detail";
export * from "./export";
export * from "./list";
export * from "./scope";
export * from "./status";
