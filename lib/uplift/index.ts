/** Retention outcomes maths: the stratified hold-out draw and the measured uplift with its interval. */
export * from "./holdout";
export * from "./interval";
