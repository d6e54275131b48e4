"use client";

import { MailCheck, TriangleAlert } from "lucide-react";
import { useId, useSyncExternalStore } from "react";
import { CopyButton } from "@/components/api-keys/copy-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

const noSubscription = () => () => {};

/** The address people open, from the page's own origin (what the admin's colleagues reach). */
function useSetPasswordUrl(token: string): string {
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "",
  );
  return `${origin}/set-password/${token}`;
}

/**
 * A one-time set-password link, shown once: ChurnGuard keeps only its hash. When SMTP is
 * configured it was also e-mailed to the person (`emailedTo`); otherwise the admin passes it on.
 */
export function PasswordLink({
  token,
  expiresAt,
  forName,
  emailedTo = null,
}: {
  token: string;
  expiresAt: Date;
  forName: string;
  /** The address the link was e-mailed to; null when no e-mail was sent. */
  emailedTo?: string | null;
}) {
  const id = useId();
  const url = useSetPasswordUrl(token);
  const until = expiresAt.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-4">
      {emailedTo ? (
        <Alert data-testid="set-password-emailed">
          <MailCheck aria-hidden="true" />
          <AlertTitle>Link e-mailed to {emailedTo}</AlertTitle>
          <AlertDescription>
            {forName} can choose a password from that e-mail. It works once, until {until}. If it does not
            arrive, copy the link below and pass it on yourself: it will not be shown again.
          </AlertDescription>
        </Alert>
      ) : (
        <Alert variant="warning" data-testid="set-password-by-hand">
          <TriangleAlert aria-hidden="true" />
          <AlertTitle>Copy the link now: it will not be shown again</AlertTitle>
          <AlertDescription>
            No e-mail is sent (no mail server is configured), so send it to {forName} yourself (chat or
            e-mail). It works once, until {until}, and lets them choose their own password.
          </AlertDescription>
        </Alert>
      )}
      <div className="space-y-2">
        <Label htmlFor={`${id}-link`}>Set-password link</Label>
        <div className="flex gap-2">
          <Input
            id={`${id}-link`}
            readOnly
            value={url}
            className="font-mono text-xs"
            data-testid="set-password-link"
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton text={url} label="Copy link" />
        </div>
      </div>
    </div>
  );
}
