"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, MoreHorizontal, UserCheck, UserX } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { PasswordLink } from "./password-link";

interface ActionUser {
  id: number;
  name: string;
  email: string;
  isDeactivated: boolean;
  isYou: boolean;
}

type Step =
  | { kind: "confirm-reset" }
  | { kind: "confirm-deactivate" }
  | { kind: "link"; token: string; expiresAt: Date; emailed: boolean };

/** Per-row account actions; the ones that lock someone out ask first and say what happens. */
export function UserActions({ user }: { user: ActionUser }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const onError = (error: { message: string }) => toast.error(error.message);

  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (link) => {
        setStep({ kind: "link", token: link.token, expiresAt: link.expiresAt, emailed: link.emailed });
        refresh();
      },
      onError,
    }),
  );
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({
      onSuccess: () => {
        toast.success(`${user.name} is deactivated and signed out everywhere`);
        setStep(null);
        refresh();
      },
      onError,
    }),
  );
  const reactivate = useMutation(
    trpc.users.reactivate.mutationOptions({
      onSuccess: () => {
        toast.success(`${user.name} can sign in again`);
        refresh();
      },
      onError,
    }),
  );
  const isPending = reset.isPending || deactivate.isPending || reactivate.isPending;

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${user.name}`} disabled={isPending}>
            <MoreHorizontal aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem disabled={user.isDeactivated} onSelect={() => setStep({ kind: "confirm-reset" })}>
            <KeyRound aria-hidden="true" />
            Reset password…
          </DropdownMenuItem>
          {user.isDeactivated ? (
            <DropdownMenuItem onSelect={() => reactivate.mutate({ userId: user.id })}>
              <UserCheck aria-hidden="true" />
              Reactivate
            </DropdownMenuItem>
          ) : (
            <DropdownMenuItem
              disabled={user.isYou}
              variant="destructive"
              onSelect={() => setStep({ kind: "confirm-deactivate" })}
            >
              <UserX aria-hidden="true" />
              Deactivate…
            </DropdownMenuItem>
          )}
        </DropdownMenuContent>
      </DropdownMenu>

      <Dialog open={step !== null} onOpenChange={(open) => !open && setStep(null)}>
        <DialogContent className="sm:max-w-lg">
          {step?.kind === "link" ? (
            <>
              <DialogHeader>
                <DialogTitle>New set-password link for {user.name}</DialogTitle>
                <DialogDescription>
                  Their old password no longer works and they have been signed out everywhere.
                </DialogDescription>
              </DialogHeader>
              <PasswordLink
                token={step.token}
                expiresAt={step.expiresAt}
                forName={user.name}
                emailedTo={step.emailed ? user.email : null}
              />
              <DialogFooter>
                <DialogClose asChild>
                  <Button>Done</Button>
                </DialogClose>
              </DialogFooter>
            </>
          ) : (
            <>
              <DialogHeader>
                <DialogTitle>
                  {step?.kind === "confirm-reset"
                    ? `Reset ${user.name}'s password?`
                    : `Deactivate ${user.name}?`}
                </DialogTitle>
                <DialogDescription>
                  {step?.kind === "confirm-reset"
                    ? "Their current password stops working and every session they have open ends now. You get a one-time link for them to choose a new password."
                    : "They are signed out everywhere at once and cannot sign in until you reactivate them. Their models, runs and audit history stay."}
                </DialogDescription>
              </DialogHeader>
              <DialogFooter>
                <DialogClose asChild>
                  <Button variant="outline" disabled={isPending}>
                    Cancel
                  </Button>
                </DialogClose>
                <Button
                  variant={step?.kind === "confirm-deactivate" ? "destructive" : "default"}
                  disabled={isPending}
                  onClick={() =>
                    step?.kind === "confirm-reset"
                      ? reset.mutate({ userId: user.id, pageOrigin: window.location.origin })
                      : deactivate.mutate({ userId: user.id })
                  }
                >
                  {step?.kind === "confirm-reset" ? "Reset password" : "Deactivate"}
                </Button>
              </DialogFooter>
            </>
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}
