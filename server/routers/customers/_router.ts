import { z } from "zod";
import * as customers from "../../services/customers";
import { router, viewerProcedure } from "../../trpc/init";

const id = z.number().int().positive();

export const customersRouter = router({
  /** Datasets with a champion, most recently promoted first (the list's dataset picker). */
  datasets: viewerProcedure.query(({ ctx }) => customers.listCustomerDatasets(ctx.db)),

  /** One page of the champion's scored customers, sorted, filtered and counted in the database. */
  list: viewerProcedure
    .input(customers.listCustomersInputSchema)
    .query(({ ctx, input }) => customers.listCustomers(ctx.db, input)),

  /** Categorical and boolean feature columns with their values, for the list's filters. */
  filterOptions: viewerProcedure
    .input(z.object({ datasetId: id }))
    .query(({ ctx, input }) => customers.customerFilterOptions(ctx.db, input.datasetId)),

  /** A customer's fields, latest champion score, score history and live explanation. */
  detail: viewerProcedure
    .input(z.object({ customerId: id }))
    .query(({ ctx, input }) => customers.getCustomerDetail(ctx.db, input.customerId)),
});
