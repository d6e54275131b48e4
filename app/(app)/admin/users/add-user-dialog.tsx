"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { PasswordLink } from "./password-link";
import { ROLE_HELP, type Role } from "./roles";

interface Created {
  name: string;
  email: string;
  token: string;
  expiresAt: Date;
  emailed: boolean;
}

/** Name, email and role in; then the one-time link that lets the new user choose a password. */
export function AddUserDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [created, setCreated] = useState<Created | null>(null);
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});

  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: ({ user, link, emailed }) => {
        setCreated({
          name: user.name,
          email: user.email,
          token: link.token,
          expiresAt: link.expiresAt,
          emailed,
        });
        setErrors({});
        queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
      onError: (error) => {
        const fieldErrors = fieldErrorsOf(error);
        if (Object.keys(fieldErrors).length) setErrors(fieldErrors);
        else toast.error(error.message);
      },
    }),
  );

  function onOpenChange(nextOpen: boolean) {
    setOpen(nextOpen);
    if (!nextOpen) {
      // The link leaves memory with the dialog: only its hash is stored.
      setCreated(null);
      setName("");
      setEmail("");
      setRole("viewer");
      setErrors({});
      create.reset();
    }
  }

  const field = (
    key: "name" | "email",
    label: string,
    value: string,
    set: (v: string) => void,
    type = "text",
  ) => (
    <div className="space-y-2">
      <Label htmlFor={`${ids}-${key}`}>{label}</Label>
      <Input
        id={`${ids}-${key}`}
        type={type}
        value={value}
        autoComplete="off"
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${ids}-${key}-error` : undefined}
        onChange={(event) => set(event.target.value)}
      />
      {errors[key] && (
        <p id={`${ids}-${key}-error`} className="text-destructive text-sm">
          {errors[key]?.join(" ")}
        </p>
      )}
    </div>
  );

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus aria-hidden="true" />
          Add user
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>{created.name} can now set a password</DialogTitle>
              <DialogDescription>
                The account exists; it signs in once its owner has chosen a password.
              </DialogDescription>
            </DialogHeader>
            <PasswordLink
              token={created.token}
              expiresAt={created.expiresAt}
              forName={created.name}
              emailedTo={created.emailed ? created.email : null}
            />
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : (
          <form
            className="space-y-5"
            onSubmit={(event) => {
              event.preventDefault();
              create.mutate({ name, email, role, pageOrigin: window.location.origin });
            }}
          >
            <DialogHeader>
              <DialogTitle>Add a user</DialogTitle>
              <DialogDescription>
                You get a one-time link to pass on; with it they choose their own password.
              </DialogDescription>
            </DialogHeader>
            {field("name", "Name", name, setName)}
            {field("email", "Work email", email, setEmail, "email")}
            <div className="space-y-2">
              <Label htmlFor={`${ids}-role`}>Role</Label>
              <Select value={role} onValueChange={(value) => setRole(value as Role)}>
                <SelectTrigger id={`${ids}-role`} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {(["viewer", "manager", "admin"] as const).map((option) => (
                    <SelectItem key={option} value={option} className="capitalize">
                      {option}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <p className="text-muted-foreground text-sm">{ROLE_HELP[role]}</p>
            </div>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline" disabled={create.isPending}>
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" disabled={create.isPending || !name.trim() || !email.trim()}>
                {create.isPending ? "Adding…" : "Add user"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
