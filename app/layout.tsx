import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Header } from "@/components/shell/header";
import { Providers } from "@/components/shell/providers";
import { ThemeScript } from "@/components/ui/theme-script";
import { getSessionActor } from "@/lib/auth/actor";
import { describeActor } from "@/lib/auth/describe";
import { unreadCount } from "@/lib/notifications/inbox";
import "./globals.css";

// Every page depends on who is signed in; nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Gatehouse", template: "%s · Gatehouse" },
  description: "Governed promotion of machine-learning model versions",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await getSessionActor().catch(() => null);
  const me = actor ? await describeActor(actor) : null;
  // The bell's first number; it polls for changes after that. A failed count must not take the page down.
  const unread = actor?.kind === "user" ? await unreadCount({ actor }).then((r) => r.unread, () => 0) : null;
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript nonce={nonce} />
      </head>
      <body className="min-h-screen">
        <Providers>
          <Header me={me} unread={unread} />
          <main id="main" className="mx-auto max-w-7xl px-4 py-8">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
