/**
 * The whole tRPC request path in one file: context, initialisation, procedures by role.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Database } from "../db/client";
import type { Role } from "../db/schema";
import { FieldValidationError } from "../errors";
import { logger, withLogContext } from "../log";
import { observeTrpcCall } from "../metrics";
import type { Actor } from "../services/audit";
import type { PublicUser } from "../services/users";

// ─── 1. Context ────────────────────────────────────────────────────────────────────────────────

export interface Context {
  db: Database;
  user: PublicUser | null;
  ip: string | null;
  requestId: string;
}

/** Plain values in, so tests build a context without a request (the HTTP one is in context.ts). */
export function createInnerContext(input: {
  db: Database;
  user: PublicUser | null;
  ip?: string | null;
  requestId?: string;
}): Context {
  return {
    db: input.db,
    user: input.user,
    ip: input.ip ?? null,
    requestId: input.requestId ?? crypto.randomUUID(),
  };
}

const log = logger("trpc");

// ─── 2. Initialisation ────────────────────────────────────────────────────────────────────────

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let fieldErrors: Record<string, string[] | undefined> | null = null;
    if (cause instanceof ZodError)
      fieldErrors = z.flattenError(cause).fieldErrors as Record<string, string[]>;
    else if (cause instanceof FieldValidationError) fieldErrors = cause.fieldErrors;
    // [field, messages] pairs, not an object: a field may be a column called "__proto__" or
    // "constructor", which superjson refuses as a key (the whole answer would fail).
    const fieldErrorPairs = fieldErrors
      ? Object.entries(fieldErrors).filter((e): e is [string, string[]] => e[1] !== undefined)
      : null;
    return { ...shape, data: { ...shape.data, fieldErrors: fieldErrorPairs, stack: undefined } };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

// ─── 3. Procedures ────────────────────────────────────────────────────────────────────────────

/**
 * Errors a person can act on pass through; anything unexpected is logged with the request id and
 * reported as a generic failure, so internals never reach the browser.
 */
const errorBoundary = t.middleware(async ({ ctx, next, path, type }) => {
  const started = performance.now();
  const result = await withLogContext({ requestId: ctx.requestId, userId: ctx.user?.id }, () => next());
  observeTrpcCall({
    procedure: path,
    type,
    outcome: result.ok ? "ok" : result.error.code,
    seconds: (performance.now() - started) / 1000,
  });
  if (!result.ok) {
    const error = result.error;
    if (error.cause instanceof FieldValidationError) {
      result.error = new TRPCError({ code: "BAD_REQUEST", message: error.cause.message, cause: error.cause });
    } else if (error.code === "INTERNAL_SERVER_ERROR") {
      log.error({ err: error.cause ?? error, procedure: path, requestId: ctx.requestId }, "procedure failed");
      result.error = new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: `Something went wrong on our side. Reference: ${ctx.requestId}`,
      });
    }
  }
  return result;
});

export const publicProcedure = t.procedure.use(errorBoundary);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  const actor: Actor = { id: ctx.user.id, label: ctx.user.email, ip: ctx.ip };
  return next({ ctx: { ...ctx, user: ctx.user, actor } });
});

const ROLE_RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export function hasRole(user: Pick<PublicUser, "role">, minimum: Role): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK[minimum];
}

function roleProcedure(minimum: Role) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!hasRole(ctx.user, minimum)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${minimum} role; you are a ${ctx.user.role}`,
      });
    }
    return next();
  });
}

export const viewerProcedure = roleProcedure("viewer");
export const managerProcedure = roleProcedure("manager");
export const adminProcedure = roleProcedure("admin");
