import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DatasetError } from "@/lib/ml/data";
import {
  DatasetBusyError,
  DatasetNotFoundError,
  IdentifierError,
  UploadNotFoundError,
} from "../../services/datasets";

/** Maps the datasets service's errors a person can act on to tRPC codes; rethrows the rest. */
export function toTRPCError(error: unknown): never {
  if (error instanceof DatasetError || error instanceof IdentifierError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
  }
  if (error instanceof UploadNotFoundError || error instanceof DatasetNotFoundError) {
    throw new TRPCError({ code: "NOT_FOUND", message: error.message, cause: error });
  }
  if (error instanceof DatasetBusyError)
    throw new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
  if (error instanceof ZodError) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: error.issues[0]?.message ?? "Invalid input",
      cause: error,
    });
  }
  throw error;
}

/** Runs a service call, translating its errors. */
export async function mapErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    toTRPCError(error);
  }
}
