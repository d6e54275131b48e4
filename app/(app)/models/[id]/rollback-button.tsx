"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";

/** Puts the dataset's previous champion back (managers and admins only). */
export function RollbackButton({
  datasetId,
  datasetName,
  previous,
}: {
  datasetId: number;
  datasetName: string;
  previous: { id: number; title: string };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const rollback = useMutation(
    trpc.models.rollback.mutationOptions({
      onSuccess: (change) => {
        toast.success(`Rolled back: ${previous.title} is the champion of "${datasetName}" again`);
        setOpen(false);
        queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey() });
        router.push(`/models/${change.modelId}`);
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button variant="outline">
          <Undo2 aria-hidden="true" />
          Roll back
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Roll back to {previous.title}?</AlertDialogTitle>
          <AlertDialogDescription>
            {previous.title} becomes the champion of “{datasetName}” again and this model is archived. The
            change is recorded in the audit log.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={rollback.isPending}>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={rollback.isPending}
            onClick={(event) => {
              event.preventDefault();
              rollback.mutate({ datasetId, toModelId: previous.id });
            }}
          >
            {rollback.isPending ? "Rolling back…" : "Roll back"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
