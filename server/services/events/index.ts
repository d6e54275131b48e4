export { answerEventsCall, EVENTS_ENDPOINT } from "./api";
export * from "./demo";
export {
  applyEvents,
  CUSTOMER_EVENTS_MESSAGE,
  type CustomerEventsMessage,
  clearEventContextCache,
  type EventInput,
  EventInputError,
  MAX_EVENTS,
  parseEventsBody,
} from "./ingest";
export * from "./timeline";
