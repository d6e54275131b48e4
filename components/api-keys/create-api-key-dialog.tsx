"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus, TriangleAlert } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
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
import { CopyButton } from "./copy-button";

export interface ScopeOption {
  id: "predict" | "predict:batch" | "datasets:write" | "events:write" | "metrics:read";
  help: string;
}

interface CreatedKey {
  name: string;
  secret: string;
}

/**
 * Name + scopes in, then the new key, shown once with a copy button. Closing the dialog forgets
 * the key for good: only its hash is stored.
 */
export function CreateApiKeyDialog({ scopes }: { scopes: ScopeOption[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<ScopeOption["id"][]>(["predict"]);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (key) => {
        setCreated({ name: key.name, secret: key.secret });
        setErrors({});
        queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
      },
      onError: (error) => {
        const fieldErrors = fieldErrorsOf(error);
        if (Object.keys(fieldErrors).length) setErrors(fieldErrors);
        else toast.error(error.message);
      },
    }),
  );

  function reset(nextOpen: boolean) {
    setOpen(nextOpen);
    if (!nextOpen) {
      // The secret leaves memory with the dialog.
      setCreated(null);
      setName("");
      setChosen(["predict"]);
      setErrors({});
      create.reset();
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden="true" />
          Create API key
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Your new API key</DialogTitle>
              <DialogDescription>
                “{created.name}” is ready. Send it with every call as{" "}
                <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>.
              </DialogDescription>
            </DialogHeader>
            <Alert variant="warning">
              <TriangleAlert aria-hidden="true" />
              <AlertTitle>Copy it now: it will not be shown again</AlertTitle>
              <AlertDescription>
                ChurnGuard keeps only a hash of the key. Store it in your secret manager; if it is lost,
                revoke it and create a new one.
              </AlertDescription>
            </Alert>
            <div className="space-y-2">
              <Label htmlFor={`${ids}-secret`}>API key</Label>
              <div className="flex gap-2">
                <Input
                  id={`${ids}-secret`}
                  readOnly
                  value={created.secret}
                  className="font-mono text-xs"
                  onFocus={(event) => event.currentTarget.select()}
                />
                <CopyButton text={created.secret} label="Copy key" />
              </div>
            </div>
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
              create.mutate({ name, scopes: chosen });
            }}
          >
            <DialogHeader>
              <DialogTitle className="flex items-center gap-2">
                <KeyRound className="size-4" aria-hidden="true" />
                Create an API key
              </DialogTitle>
              <DialogDescription>
                For a system that calls the prediction API, such as a CRM or a billing job. Name it after that
                system so you know what breaks if you revoke it.
              </DialogDescription>
            </DialogHeader>
            <div className="space-y-2">
              <Label htmlFor={`${ids}-name`}>Name</Label>
              <Input
                id={`${ids}-name`}
                value={name}
                maxLength={80}
                placeholder="CRM nightly sync"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={errors.name ? `${ids}-name-error` : undefined}
                onChange={(event) => setName(event.target.value)}
                autoFocus
              />
              {errors.name && (
                <p id={`${ids}-name-error`} className="text-destructive text-sm">
                  {errors.name.join(" ")}
                </p>
              )}
            </div>
            <fieldset className="space-y-3">
              <legend className="mb-2 font-medium text-sm">Scopes</legend>
              {scopes.map((scope) => (
                <div key={scope.id} className="flex items-start gap-3">
                  <Checkbox
                    id={`${ids}-${scope.id}`}
                    checked={chosen.includes(scope.id)}
                    onCheckedChange={(checked) =>
                      setChosen((current) =>
                        checked
                          ? [...new Set([...current, scope.id])]
                          : current.filter((s) => s !== scope.id),
                      )
                    }
                  />
                  <div className="grid gap-0.5 leading-none">
                    <Label htmlFor={`${ids}-${scope.id}`} className="font-mono text-sm">
                      {scope.id}
                    </Label>
                    <p className="text-muted-foreground text-sm">{scope.help}</p>
                  </div>
                </div>
              ))}
              {errors.scopes && <p className="text-destructive text-sm">{errors.scopes.join(" ")}</p>}
            </fieldset>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline" disabled={create.isPending}>
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" disabled={create.isPending || chosen.length === 0 || !name.trim()}>
                {create.isPending ? "Creating…" : "Create key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
