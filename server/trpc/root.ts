import { analyticsRouter } from "../routers/analytics/_router";
import { apiKeysRouter } from "../routers/api-keys/_router";
import { auditRouter } from "../routers/audit/_router";
import { authRouter } from "../routers/auth/_router";
import { batchScoringRouter } from "../routers/batch-scoring/_router";
import { campaignsRouter } from "../routers/campaigns/_router";
import { customersRouter } from "../routers/customers/_router";
import { dashboardRouter } from "../routers/dashboard/_router";
import { datasetsRouter } from "../routers/datasets/_router";
import { driftRouter } from "../routers/drift/_router";
import { eventsRouter } from "../routers/events/_router";
import { jobsRouter } from "../routers/jobs/_router";
import { modelsRouter } from "../routers/models/_router";
import { outcomesRouter } from "../routers/outcomes/_router";
import { predictionsRouter } from "../routers/predictions/_router";
import { reportsRouter } from "../routers/reports/_router";
import { retrainingRouter } from "../routers/retraining/_router";
import { settingsRouter } from "../routers/settings/_router";
import { trainingRouter } from "../routers/training/_router";
import { upliftRouter } from "../routers/uplift/_router";
import { usersRouter } from "../routers/users/_router";
import { createCallerFactory, protectedProcedure, router } from "./init";

export const appRouter = router({
  me: protectedProcedure.query(({ ctx }) => ctx.user),
  auth: authRouter,
  dashboard: dashboardRouter,
  users: usersRouter,
  audit: auditRouter,
  datasets: datasetsRouter,
  training: trainingRouter,
  models: modelsRouter,
  apiKeys: apiKeysRouter,
  settings: settingsRouter,
  batchScoring: batchScoringRouter,
  customers: customersRouter,
  predictions: predictionsRouter,
  analytics: analyticsRouter,
  campaigns: campaignsRouter,
  outcomes: outcomesRouter,
  reports: reportsRouter,
  retraining: retrainingRouter,
  jobs: jobsRouter,
  drift: driftRouter,
  events: eventsRouter,
  uplift: upliftRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
