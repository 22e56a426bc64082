import Link from "next/link";
import type { ActorView } from "@/lib/auth/describe";
import type { Permission } from "@/lib/auth/permissions";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";

const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: "/", label: "Overview", permission: "registry.read" },
  { href: "/models", label: "Models", permission: "registry.read" },
  { href: "/promotions", label: "Promotions", permission: "registry.read" },
  { href: "/releases", label: "Releases", permission: "registry.read" },
  { href: "/approvals", label: "Approvals", permission: "registry.read" },
  { href: "/rollouts", label: "Rollouts", permission: "registry.read" },
  { href: "/policies", label: "Policy", permission: "registry.read" },
  { href: "/audit", label: "Audit", permission: "audit.read" },
  { href: "/admin/users", label: "Users", permission: "users.manage" },
  { href: "/admin/teams", label: "Teams", permission: "teams.manage" },
  { href: "/admin/tokens", label: "API tokens", permission: "tokens.manage" },
  { href: "/admin/webhooks", label: "Webhooks", permission: "webhooks.manage" },
];

/** `unread`: the signed-in person's unread notifications, for the bell's first paint (null: no bell). */
export function Header({ me, unread = null }: { me: ActorView | null; unread?: number | null }) {
  const items = me ? NAV.filter((n) => me.permissions.includes(n.permission)) : [];
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG needs no image optimisation */}
          <img src="/icon.svg" alt="" width={24} height={24} className="h-6 w-6" />
          Gatehouse
        </Link>
        {items.length > 0 && (
          <nav aria-label="Main" className="flex flex-wrap gap-1">
            {items.map((n) => (
              <NavLink key={n.href} href={n.href}>
                {n.label}
              </NavLink>
            ))}
          </nav>
        )}
        <div className="ml-auto flex flex-wrap items-center gap-3">
          {me?.permissions.includes("registry.read") && (
            <form role="search" action="/search" className="flex">
              <label htmlFor="header-search" className="sr-only">
                Search models, commits and data hashes
              </label>
              <input
                id="header-search"
                name="q"
                type="search"
                placeholder="Model, commit or data hash"
                className="w-56 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-900 dark:placeholder:text-slate-400"
              />
            </form>
          )}
          <ThemeToggle />
          {me && unread !== null && <NotificationBell initialUnread={unread} />}
          {me && (
            <>
              <div className="text-right text-sm leading-tight" data-testid="signed-in-user">
                <div className="font-medium">{me.name}</div>
                <div className="text-xs text-slate-600 dark:text-slate-400">
                  {me.roles.length ? me.roles.map((r) => (r.team ? `${r.role}@${r.team}` : r.role)).join(", ") : "no roles"}
                </div>
              </div>
              <SignOutButton />
            </>
          )}
        </div>
      </div>
    </header>
  );
}
