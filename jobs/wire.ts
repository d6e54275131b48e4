/**
 * Plugs the job executor into the server's durable-work port (server/durable/port.ts). Dispatch is
 * imported on first use: it loads the function registry, whose functions import the services that
 * call the port, and loading it lazily keeps that graph out of every importer's start-up.
 */
import { provideDurableWork } from "@/server/durable/port";

export function wireDurableWork(): void {
  provideDurableWork({
    send: async (db, event, data, options) =>
      (await import("./dispatch")).sendEvent(db, event, data, options),
    cancel: async (db, jobId) => (await import("./dispatch")).cancelJob(db, jobId),
    stepsOf: async (functionId, data) => {
      const fn = (await import("./registry")).getDurableFunctions().find((f) => f.id === functionId);
      if (!fn) return null;
      try {
        return fn.steps(fn.parse(data)).map((step) => ({ id: step.id, label: step.label }));
      } catch {
        return null;
      }
    },
  });
}
