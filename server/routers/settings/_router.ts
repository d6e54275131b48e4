import {
  CURRENCY_SETTING,
  currencySchema,
  getSetting,
  RISK_BANDS_SETTING,
  riskBandsSchema,
  setRiskBands,
  setSetting,
} from "../../services/settings";
import { adminProcedure, router, viewerProcedure } from "../../trpc/init";

export const settingsRouter = router({
  /** Risk bands: scores ≥ medium are medium risk, ≥ high are high risk. */
  riskBands: viewerProcedure.query(({ ctx }) => getSetting(ctx.db, RISK_BANDS_SETTING)),

  /** Validated (0 < medium < high < 1) and audited. */
  setRiskBands: adminProcedure
    .input(riskBandsSchema)
    .mutation(({ ctx, input }) => setRiskBands(ctx.db, ctx.actor, input)),

  /** The ISO 4217 currency every amount of money is shown in. */
  currency: viewerProcedure.query(({ ctx }) => getSetting(ctx.db, CURRENCY_SETTING)),

  /** Audited like every setting. */
  setCurrency: adminProcedure
    .input(currencySchema)
    .mutation(({ ctx, input }) => setSetting(ctx.db, ctx.actor, CURRENCY_SETTING, input)),
});
