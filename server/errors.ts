/**
 * An error a person can fix by changing one or more form fields. The tRPC error formatter sends
 * `fieldErrors` to the client, which shows each message next to its field.
 */
export class FieldValidationError extends Error {
  constructor(readonly fieldErrors: Record<string, string[]>) {
    super(Object.values(fieldErrors).flat().join("; "));
    this.name = "FieldValidationError";
  }
}
