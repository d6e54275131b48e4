import { router } from "../../trpc/init";

export const modelsRouter = router({});
