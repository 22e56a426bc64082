import type { Metadata } from "next";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { Alert, Card } from "@/components/ui/layout";
import { describeInvitation } from "@/lib/auth/invitations";

export const metadata: Metadata = { title: "Accept invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(token);
  return (
    <div className="mx-auto max-w-md pt-6">
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">Join Gatehouse</h1>
      {invitation.ok ? (
        <>
          <p className="mb-6 text-sm text-slate-700 dark:text-slate-300">
            Welcome, {invitation.name}. Choose a password for <strong>{invitation.email}</strong>.
          </p>
          <Card>
            <AcceptInvitationForm token={token} />
          </Card>
        </>
      ) : (
        <Alert tone="error" title="This link cannot be used">
          {invitation.message}
        </Alert>
      )}
    </div>
  );
}
