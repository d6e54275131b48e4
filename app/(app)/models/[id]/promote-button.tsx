"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Crown } from "lucide-react";
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

/** Makes the model its dataset's champion after a confirmation (managers and admins only). */
export function PromoteButton({
  modelId,
  title,
  datasetName,
  currentChampion,
}: {
  modelId: number;
  title: string;
  datasetName: string;
  /** "Gradient boosting v3", or null when the dataset has no champion. */
  currentChampion: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const promote = useMutation(
    trpc.models.promote.mutationOptions({
      onSuccess: () => {
        toast.success(`${title} is now the champion of "${datasetName}"`);
        setOpen(false);
        queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey() });
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button>
          <Crown aria-hidden="true" />
          Promote to champion
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Promote {title}?</AlertDialogTitle>
          <AlertDialogDescription>
            It becomes the champion of “{datasetName}”: new predictions and scores use it.
            {currentChampion
              ? ` The current champion, ${currentChampion}, is archived; you can roll back to it later.`
              : ""}{" "}
            The change is recorded in the audit log.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={promote.isPending}>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={promote.isPending}
            onClick={(event) => {
              event.preventDefault();
              promote.mutate({ modelId });
            }}
          >
            {promote.isPending ? "Promoting…" : "Promote"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
