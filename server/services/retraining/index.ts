/**
 * Scheduled retraining: schedules per dataset, the scheduler (due runs start once), challenger vs
 * champion decisions (rule or manager), failure notices and signed webhooks.
 */
export { isChallengerRun, RULE_ACTOR } from "./challenger";
export {
  approveDecision,
  type DecideInput,
  type DecisionItem,
  decideInputSchema,
  listDecisions,
  rejectDecision,
} from "./decisions";
export { notifyIfScheduledRunFailed, recordScheduledFailure } from "./failures";
export { runDueSchedules, runScheduleNow, SCHEDULE_ACTOR, type ScheduledStart } from "./scheduler";
export {
  dismissFailureNotice,
  getSchedule,
  listFailureNotices,
  listSchedules,
  type ScheduleView,
  type UpdateScheduleInput,
  updateSchedule,
  updateScheduleInputSchema,
} from "./schedules";
export {
  deliverWebhook,
  SIGNATURE_HEADER,
  signWebhookBody,
  WEBHOOK_REQUESTED_EVENT,
  WebhookDeliveryError,
} from "./webhook";
export { privateAddressKind, WebhookTargetError, webhookUrlProblem } from "./webhook-guard";
