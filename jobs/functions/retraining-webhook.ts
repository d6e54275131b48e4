import { z } from "zod";
import { deliverWebhook, WEBHOOK_REQUESTED_EVENT } from "@/server/services/retraining";
import { defineDurableFunction } from "../define";

/**
 * Delivers one signed failure notice to a dataset's webhook. A failed delivery throws, so the
 * runner retries it with backoff (up to maxAttempts); the payload is the event's data, fixed when
 * the failure happened.
 */
export const retrainingWebhook = defineDurableFunction({
  id: "retraining-webhook",
  event: WEBHOOK_REQUESTED_EVENT,
  maxAttempts: 5,
  parse: (data) =>
    z
      .object({ datasetId: z.number().int().positive(), payload: z.record(z.string(), z.unknown()) })
      .parse(data),
  steps: () => [
    {
      id: "deliver",
      label: "Calling the webhook",
      run: async ({ db, data }) => ({ ...(await deliverWebhook(db, data.datasetId, data.payload)) }),
    },
  ],
});
