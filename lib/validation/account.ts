import { z } from "zod";

/** Shared by the sign-up form (browser) and the sign-up procedure (server). */
export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter your email address")
  .max(254, "Email address is too long")
  .pipe(z.email("Enter a valid email address, like name@company.com"))
  .transform((email) => email.toLowerCase());

/** NIST SP 800-63B asks for at least 8; 12 is OWASP's and most password managers' floor. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * Length and shape only, so the browser can check as the user types. The server also refuses the
 * most common passwords (server/services/passwords.ts), from a list too large to ship to browsers.
 */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `Use at least ${PASSWORD_MIN_LENGTH} characters`, abort: true })
  .max(PASSWORD_MAX_LENGTH, { message: `Use at most ${PASSWORD_MAX_LENGTH} characters`, abort: true })
  .refine((password) => password.trim().length > 0, "A password cannot be only spaces");

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
  email: emailSchema,
  password: newPasswordSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200),
});
