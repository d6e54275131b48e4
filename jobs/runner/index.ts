export { nextCronTime, parseCron } from "./cron";
export { defaultBackoffMs, EmbeddedRunner, type EmbeddedRunnerOptions, type RunnerLogger } from "./runner";
export { getJob, type JobView } from "./store";
