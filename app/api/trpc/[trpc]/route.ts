import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { observedRoute } from "@/server/http/observe";
import { createContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

const handler = observedRoute("/api/trpc/[trpc]", (req, requestId) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers, requestId }),
  }),
);

export { handler as GET, handler as POST };
