/** The durable-function contract is defined by the server's port (server/durable/contract.ts). */
export {
  type AnyDurableFunction,
  type DurableFunction,
  type DurableStep,
  type Json,
  NonRetriableError,
  type StepContext,
} from "@/server/durable/contract";
