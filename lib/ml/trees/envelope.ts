import { z } from "zod";
import type { Algorithm } from "../types";

const envelopeSchema = z.object({
  algorithm: z.string(),
  formatVersion: z.number(),
  params: z.record(z.string(), z.unknown()),
  state: z.unknown(),
});

/** Checks the SerializedClassifier envelope of a stored model before its state is read. */
export function readEnvelope(
  json: unknown,
  algorithm: Algorithm,
  formatVersion: number,
): { params: Record<string, unknown>; state: unknown } {
  const parsed = envelopeSchema.safeParse(typeof json === "string" ? JSON.parse(json) : json);
  if (!parsed.success) throw new Error(`Not a serialized classifier: ${z.prettifyError(parsed.error)}`);
  const envelope = parsed.data;
  if (envelope.algorithm !== algorithm) {
    throw new Error(`Serialized model is ${envelope.algorithm}, expected ${algorithm}`);
  }
  if (envelope.formatVersion !== formatVersion) {
    throw new Error(
      `Unsupported ${algorithm} format version ${envelope.formatVersion} (expected ${formatVersion})`,
    );
  }
  return { params: envelope.params, state: envelope.state };
}

/** Parses with a zod schema, turning its error into one readable message. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
