import { playbookSchema } from "@/lib/retention";
import { RETENTION_PLAYBOOK_SETTING } from "../../services/retention/playbook-setting";
import {
  CURRENCY_SETTING,
  currencySchema,
  DATA_RETENTION_SETTING,
  dataRetentionSchema,
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

  /** The retention playbook in force (the default one until an admin saves an edit). */
  playbook: adminProcedure.query(({ ctx }) =>
    getSetting(ctx.db, RETENTION_PLAYBOOK_SETTING, { fresh: true }),
  ),

  /** Validated with the playbook's own schema (lib/retention) and audited. */
  setPlaybook: adminProcedure
    .input(playbookSchema)
    .mutation(({ ctx, input }) => setSetting(ctx.db, ctx.actor, RETENTION_PLAYBOOK_SETTING, input)),

  /** Back to the shipped default playbook (audited as a change like any other). */
  resetPlaybook: adminProcedure.mutation(({ ctx }) =>
    setSetting(ctx.db, ctx.actor, RETENTION_PLAYBOOK_SETTING, RETENTION_PLAYBOOK_SETTING.defaultValue()),
  ),

  /** Days scored files, reports and API call logs are kept (null: kept until deleted). */
  dataRetention: adminProcedure.query(({ ctx }) =>
    getSetting(ctx.db, DATA_RETENTION_SETTING, { fresh: true }),
  ),

  /** Enforced by the nightly clean-up; audited. */
  setDataRetention: adminProcedure
    .input(dataRetentionSchema)
    .mutation(({ ctx, input }) => setSetting(ctx.db, ctx.actor, DATA_RETENTION_SETTING, input)),
});
