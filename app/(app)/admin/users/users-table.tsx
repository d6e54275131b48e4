"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RelativeTime } from "@/components/format/date-time";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AddUserDialog } from "./add-user-dialog";
import { ROLE_HELP, type Role } from "./roles";
import { SignUpSwitch } from "./sign-up-switch";
import { UserActions } from "./user-actions";

interface StatusOf {
  deactivatedAt: Date | null;
  hasPassword: boolean;
  passwordLinkExpiresAt: Date | null;
}

/** In words: can this person sign in now, and if not, why. */
function AccountStatus({ user }: { user: StatusOf }) {
  if (user.deactivatedAt) return <Badge variant="destructive">Deactivated</Badge>;
  if (!user.hasPassword && user.passwordLinkExpiresAt) {
    const isExpired = new Date(user.passwordLinkExpiresAt).getTime() < Date.now();
    return <Badge variant="outline">{isExpired ? "Link expired" : "Waiting for password"}</Badge>;
  }
  return <Badge variant="secondary">Active</Badge>;
}

export function UsersTable({ currentUserId }: { currentUserId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (user) => {
        toast.success(`${user.name} is now a ${user.role}`);
        queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle>Users</CardTitle>
        <CardDescription>
          <strong>Admin</strong>: {ROLE_HELP.admin}. <strong>Manager</strong>: {ROLE_HELP.manager}.{" "}
          <strong>Viewer</strong>: {ROLE_HELP.viewer}. Changing someone's role signs them out so they start
          again with the new one.
        </CardDescription>
        <CardAction>
          <AddUserDialog />
        </CardAction>
      </CardHeader>
      <CardContent className="space-y-4">
        <SignUpSwitch />
        {users.isError ? (
          <p role="alert" className="text-destructive text-sm">
            Could not load users: {users.error.message}
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden md:table-cell">Last sign-in</TableHead>
                <TableHead className="w-40">Role</TableHead>
                <TableHead className="w-12">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.isPending
                ? Array.from({ length: 3 }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
                    <TableRow key={i}>
                      {Array.from({ length: 6 }, (_, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton cells
                        <TableCell key={j}>
                          <Skeleton className="h-5 w-full" />
                        </TableCell>
                      ))}
                    </TableRow>
                  ))
                : users.data.map((user) => (
                    <TableRow key={user.id} data-testid={`user-row-${user.email}`}>
                      <TableCell className="font-medium">
                        {user.name}
                        {user.id === currentUserId && (
                          <Badge variant="outline" className="ml-2">
                            you
                          </Badge>
                        )}
                      </TableCell>
                      <TableCell className="max-w-64 truncate text-muted-foreground">{user.email}</TableCell>
                      <TableCell>
                        <AccountStatus user={user} />
                      </TableCell>
                      <TableCell className="hidden text-muted-foreground md:table-cell">
                        {user.lastSignInAt ? <RelativeTime value={user.lastSignInAt} /> : "Never"}
                      </TableCell>
                      <TableCell>
                        <Select
                          value={user.role}
                          disabled={setRole.isPending}
                          onValueChange={(role) => setRole.mutate({ userId: user.id, role: role as Role })}
                        >
                          <SelectTrigger className="w-36" aria-label={`Role of ${user.name}`}>
                            <SelectValue />
                          </SelectTrigger>
                          <SelectContent>
                            {(["admin", "manager", "viewer"] as const).map((role) => (
                              <SelectItem key={role} value={role} className="capitalize">
                                {role}
                              </SelectItem>
                            ))}
                          </SelectContent>
                        </Select>
                      </TableCell>
                      <TableCell>
                        <UserActions
                          user={{
                            id: user.id,
                            name: user.name,
                            email: user.email,
                            isDeactivated: user.deactivatedAt !== null,
                            isYou: user.id === currentUserId,
                          }}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
