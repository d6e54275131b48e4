/** Retention outcomes maths: the stratified hold-out draw, the measured uplift with its interval, the uplift model (T-learner) and its Qini curve. */
export * from "./holdout";
export * from "./interval";
export * from "./qini";
export * from "./t-learner";
