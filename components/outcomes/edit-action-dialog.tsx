"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import {
  Dialog,
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

const NOBODY = "none";

/** YYYY-MM-DD of a date in UTC (what the date field shows and sends back). */
export function dateInputValue(date: Date | string | null): string {
  if (!date) return "";
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 10);
}

/**
 * Edits one action's owner, due date and wording (managers and admins; the server checks the
 * role and audits the change). A native date field, so it works from the keyboard everywhere.
 */
export function EditActionDialog({
  actionId,
  externalId,
  action,
  ownerId,
  dueDate,
}: {
  actionId: number;
  externalId: string;
  action: string | null;
  ownerId: number | null;
  dueDate: Date | null;
}) {
  const id = useId();
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [owner, setOwner] = useState(ownerId ? String(ownerId) : NOBODY);
  const [due, setDue] = useState(dateInputValue(dueDate));
  const [text, setText] = useState(action ?? "");
  const owners = useQuery({ ...trpc.outcomes.owners.queryOptions({}), enabled: open });
  const update = useMutation(
    trpc.outcomes.updateAction.mutationOptions({
      onSuccess: () => {
        toast.success(`${externalId}: action updated`);
        setOpen(false);
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const reset = (next: boolean) => {
    if (next) {
      setOwner(ownerId ? String(ownerId) : NOBODY);
      setDue(dateInputValue(dueDate));
      setText(action ?? "");
    }
    setOpen(next);
  };
  const trimmed = text.trim();
  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="size-8"
          aria-label={`Edit the action for ${externalId}`}
        >
          <Pencil className="size-4" aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Edit the action for {externalId}</DialogTitle>
          <DialogDescription>
            Change who does it, by when, and what to do. The change is logged.
          </DialogDescription>
        </DialogHeader>
        <form
          id={`${id}-form`}
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!trimmed) return;
            update.mutate({
              actionId,
              action: trimmed,
              ownerId: owner === NOBODY ? null : Number(owner),
              dueDate: due ? new Date(`${due}T00:00:00Z`) : null,
            });
          }}
        >
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-action`}>Action</Label>
            <Input
              id={`${id}-action`}
              value={text}
              maxLength={200}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={!trimmed}
            />
            {!trimmed && <p className="text-destructive text-xs">Describe the action.</p>}
          </div>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-owner`}>Owner</Label>
            <Select value={owner} onValueChange={setOwner} disabled={owners.isLoading}>
              <SelectTrigger id={`${id}-owner`} className="w-full">
                <SelectValue placeholder={owners.isLoading ? "Loading people…" : undefined} />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={NOBODY}>Nobody yet</SelectItem>
                {(owners.data ?? []).map((o) => (
                  <SelectItem key={o.id} value={String(o.id)}>
                    {o.name} ({o.email})
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            {owners.isError && <p className="text-destructive text-xs">Could not load the people list.</p>}
          </div>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-due`}>Due date</Label>
            <Input id={`${id}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
            <p className="text-muted-foreground text-xs">Leave empty for no due date.</p>
          </div>
        </form>
        <DialogFooter>
          <Button variant="outline" type="button" onClick={() => reset(false)}>
            Cancel
          </Button>
          <Button type="submit" form={`${id}-form`} disabled={update.isPending || !trimmed}>
            {update.isPending ? "Saving…" : "Save"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
