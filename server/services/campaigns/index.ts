/** Campaign planning: the profit curve over "contact the top N", saved plans and their target lists. */
export * from "./inputs";
export * from "./plan";
export * from "./saved";
export { reasonOf, type TargetDetail } from "./targets";
