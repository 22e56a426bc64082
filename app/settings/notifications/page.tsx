import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PreferencesForm } from "@/components/notifications/preferences-form";
import { Alert, BackLink, PageHeader } from "@/components/ui/layout";
import { getSessionActor } from "@/lib/auth/actor";
import { getPreferences } from "@/lib/notifications/preferences";

export const metadata: Metadata = { title: "Notification settings" };

export default async function NotificationSettingsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin");
  const view = await getPreferences({ actor });
  return (
    <div className="max-w-4xl space-y-4">
      <BackLink href="/notifications">Notifications</BackLink>
      <PageHeader
        title="Notification settings"
        description={
          <>
            Choose how Gatehouse tells you about each kind of event. Emails go to <strong>{view.email}</strong>. Requests that wait for your
            approval or review always appear in Gatehouse, so nothing you are asked to do goes unseen.
          </>
        }
      />
      {!view.emailConfigured && (
        <Alert tone="info" title="Email is not set up on this Gatehouse">
          Your email choices are kept and apply once an administrator configures outgoing mail (SMTP_URL).
        </Alert>
      )}
      <PreferencesForm view={view} />
    </div>
  );
}
