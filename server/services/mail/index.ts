/** Optional outgoing e-mail: see mailer.ts (sending) and notices.ts (what is sent, to whom). */
export {
  deliverSealedMail,
  isMailConfigured,
  MAIL_KINDS,
  MAIL_REQUESTED_EVENT,
  type MailKind,
  type MailMessage,
  MailSealError,
  mailJobDataSchema,
  queueMail,
  sealMessage,
  unsealMessage,
} from "./mailer";
export { mailPasswordLink, mailRetrainingFailure, publicBaseUrl } from "./notices";
