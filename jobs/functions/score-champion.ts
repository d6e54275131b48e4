import { z } from "zod";
import { scoreCoverage, scoreModelCustomers } from "@/server/services/scoring/score-model";
import { defineDurableFunction } from "../define";
import type { Json } from "../types";

export const CHAMPION_CHANGED = "churnguard/champion.changed";

/**
 * After a manual promotion or rollback: the new champion scores every customer of its dataset
 * version, unless it already has (a rollback to an earlier champion usually finds its scores).
 * Training runs score their own champion in their score step and do not send this event.
 */
export const scoreChampion = defineDurableFunction({
  id: "score-champion",
  event: CHAMPION_CHANGED,
  parse: (data) => z.object({ modelId: z.number().int().positive() }).parse(data),
  steps: () => [
    {
      id: "score-customers",
      label: "Scoring every customer with the new champion",
      run: async ({ db, data }): Promise<Json> => {
        const coverage = await scoreCoverage(db, data.modelId);
        if (!coverage) return { skipped: "model deleted" };
        if (coverage.scored >= coverage.customers)
          return { skipped: "already scored", customers: coverage.customers, scored: coverage.scored };
        const summary = await scoreModelCustomers(db, data.modelId, { coverage });
        return { customersScored: summary.customersScored, levels: summary.levels };
      },
    },
  ],
});
