"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";

/** Whether people may create their own viewer accounts from the sign-up page (audited). */
export function SignUpSwitch() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const setting = useQuery(trpc.users.signUpSetting.queryOptions());
  const save = useMutation(
    trpc.users.setSignUpOpen.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.users.signUpSetting.queryKey(), saved);
        toast.success(
          saved.open ? "Anyone with the address can now sign up as a viewer" : "Sign-up is closed",
        );
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <div className="flex items-start gap-3 rounded-md border p-3">
      {setting.isPending ? (
        <Skeleton className="h-5 w-9" />
      ) : (
        <Switch
          id={id}
          checked={setting.data?.open ?? false}
          disabled={save.isPending || setting.isError}
          onCheckedChange={(open) => save.mutate({ open })}
          aria-describedby={`${id}-help`}
        />
      )}
      <div className="grid gap-1 leading-none">
        <label htmlFor={id} className="font-medium text-sm">
          Let people sign up themselves
        </label>
        <p id={`${id}-help`} className="text-muted-foreground text-sm">
          Off: only admins add accounts (recommended). On: anyone who can reach ChurnGuard can create a viewer
          account and see every customer.
        </p>
      </div>
    </div>
  );
}
