import { router } from "../../trpc/init";

export const datasetsRouter = router({});
