import { deliverSealedMail, MAIL_REQUESTED_EVENT, mailJobDataSchema } from "@/server/services/mail";
import { defineDurableFunction } from "../define";

/**
 * Sends one queued e-mail (server/services/mail). An SMTP error throws, so the runner retries it
 * with backoff; the message stays sealed in the job's data until this step opens it.
 */
export const sendMail = defineDurableFunction({
  id: "send-mail",
  event: MAIL_REQUESTED_EVENT,
  maxAttempts: 5,
  parse: (data) => mailJobDataSchema.parse(data),
  steps: () => [
    {
      id: "send",
      label: "Sending the e-mail",
      run: async ({ data }) => ({ ...(await deliverSealedMail(data.sealed)) }),
    },
  ],
});
