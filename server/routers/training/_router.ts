import { router } from "../../trpc/init";

export const trainingRouter = router({});
