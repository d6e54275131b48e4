/** Retention playbook: column kinds, plain-word drivers, playbook actions and the next-best action. */
export * from "./columns";
export * from "./next-best-action";
export * from "./playbook";
export * from "./wording";
