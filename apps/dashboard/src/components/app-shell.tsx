"use client";

import { type AccessRole, isMemberRole, MEMBER_ROLES } from "@dsc/trpc/schemas";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import type { ComponentType, ReactNode, SVGProps } from "react";
import { PRODUCT_NAME } from "../product.ts";
import { BrandMark } from "./brand-mark.tsx";
import { DeadlineBanner } from "./deletion-requests/deadline-banner.tsx";
import { OverdueNavCount } from "./deletion-requests/overdue-nav-count.tsx";
import { OrganizationSwitcher } from "./organization-switcher.tsx";
import { RoleBadge } from "./role-badge.tsx";
import { cx } from "./ui/cx.ts";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "./ui/dropdown-menu.tsx";
import {
  AppIcon,
  BuildingIcon,
  ChevronDownIcon,
  InboxIcon,
  KeyIcon,
  LayersIcon,
  LogOutIcon,
  ShieldIcon,
  UserIcon,
  UsersIcon,
} from "./ui/icons.tsx";
import { TooltipProvider } from "./ui/tooltip.tsx";

export interface ShellUser {
  name: string | null;
  email: string;
  /** null: the person belongs to no organization yet, and sees only their account */
  role: AccessRole | null;
  organizationId: string | null;
  /** how many organizations they belong to: more than one offers the switcher */
  organizationCount: number;
}

interface NavItem {
  href: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  roles: AccessRole[];
}

function navigation(user: ShellUser): NavItem[] {
  const ownOrganization = user.organizationId ? `/organizations/${user.organizationId}` : "/organizations";
  return [
    {
      href: "/overview",
      label: "Overview",
      icon: LayersIcon,
      roles: ["ADMIN", "COMPLIANCE", ...MEMBER_ROLES],
    },
    { href: "/getting-started", label: "Getting started", icon: KeyIcon, roles: ["ADMIN", ...MEMBER_ROLES] },
    { href: "/usage", label: "Usage", icon: LayersIcon, roles: ["ADMIN", ...MEMBER_ROLES] },
    { href: "/organizations", label: "Organizations", icon: BuildingIcon, roles: ["ADMIN", "COMPLIANCE"] },
    { href: ownOrganization, label: "My organization", icon: BuildingIcon, roles: [...MEMBER_ROLES] },
    { href: "/tiers", label: "Tiers & quotas", icon: LayersIcon, roles: ["ADMIN", "COMPLIANCE"] },
    { href: "/models", label: "Models", icon: LayersIcon, roles: ["ADMIN"] },
    { href: "/api-keys", label: "API keys", icon: KeyIcon, roles: ["ADMIN", "COMPLIANCE", ...MEMBER_ROLES] },
    {
      href: "/oauth-clients",
      label: "OAuth clients",
      icon: AppIcon,
      roles: ["ADMIN", "COMPLIANCE", ...MEMBER_ROLES],
    },
    { href: "/people", label: "People", icon: UsersIcon, roles: ["ADMIN"] },
    {
      href: "/deletion-requests",
      label: "Deletion requests",
      icon: ShieldIcon,
      roles: ["ADMIN", "COMPLIANCE"],
    },
    {
      href: "/conversation-logs",
      label: "Conversation logs",
      icon: ShieldIcon,
      roles: ["ADMIN", "COMPLIANCE"],
    },
    { href: "/files", label: "Files", icon: LayersIcon, roles: ["ADMIN", "COMPLIANCE", ...MEMBER_ROLES] },
    { href: "/audit-log", label: "Audit log", icon: ShieldIcon, roles: ["ADMIN", "COMPLIANCE"] },
    {
      href: "/webhooks",
      label: "Webhooks",
      icon: InboxIcon,
      roles: ["ADMIN", "COMPLIANCE", ...MEMBER_ROLES],
    },
  ].filter((item) => user.role !== null && item.roles.includes(user.role)) as NavItem[];
}

/** The signed-in frame: navigation for the person's role, their menu, and the page. */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const pathname = usePathname();
  const items = navigation(user);
  return (
    <TooltipProvider delayDuration={300}>
      <div className="min-h-dvh md:grid md:grid-cols-[15.5rem_1fr]">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-surface focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <aside className="border-b border-border bg-surface md:border-r md:border-b-0">
          <div className="flex flex-col md:sticky md:top-0 md:h-dvh">
            <div className="flex items-center gap-2.5 px-5 py-4">
              <BrandMark size={30} />
              <span className="text-sm leading-tight font-semibold text-text">
                {PRODUCT_NAME.replace(" — ", " ")}
              </span>
            </div>
            {isMemberRole(user.role) ? (
              <div className="px-3 pb-2">
                <OrganizationSwitcher organizationCount={user.organizationCount} />
              </div>
            ) : null}
            <nav
              aria-label="Main"
              className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-1 md:flex-col md:overflow-visible"
            >
              {items.map((item) => {
                const isActive = pathname === item.href || pathname.startsWith(`${item.href}/`);
                return (
                  <Link
                    key={item.href}
                    href={item.href}
                    aria-current={isActive ? "page" : undefined}
                    className={cx(
                      "flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap no-underline",
                      isActive
                        ? "bg-accent-soft text-accent"
                        : "text-text-muted hover:bg-surface-muted hover:text-text",
                    )}
                  >
                    <item.icon className="size-[18px] shrink-0" />
                    {item.label}
                    {/* the nav entry is shown to admins and compliance officers only */}
                    {item.href === "/deletion-requests" ? <OverdueNavCount /> : null}
                  </Link>
                );
              })}
            </nav>
            <div className="hidden border-t border-border p-3 md:block">
              <UserMenu user={user} />
            </div>
          </div>
        </aside>
        <div className="min-w-0">
          <div className="flex justify-end border-b border-border bg-surface px-4 py-2 md:hidden">
            <UserMenu user={user} />
          </div>
          <main id="main" className="mx-auto w-full max-w-6xl px-5 py-8 md:px-8">
            {user.role === "ADMIN" || user.role === "COMPLIANCE" ? <DeadlineBanner /> : null}
            {children}
          </main>
        </div>
      </div>
    </TooltipProvider>
  );
}

function UserMenu({ user }: { user: ShellUser }) {
  const initials = (user.name ?? user.email)
    .split(/[\s@.]+/)
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join("");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full cursor-pointer items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-surface-muted"
        aria-label={`Account menu of ${user.email}`}
      >
        <span className="inline-flex size-8 shrink-0 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent">
          {initials}
        </span>
        <span className="flex min-w-0 flex-1 flex-col">
          <span className="truncate text-sm font-medium text-text">{user.name ?? user.email}</span>
          <span className="truncate text-xs text-text-muted">{user.email}</span>
        </span>
        <ChevronDownIcon className="size-4 shrink-0 text-text-muted" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuLabel>
          Signed in as <RoleBadge role={user.role ?? "NONE"} />
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => window.location.assign("/account")}>
          <UserIcon className="size-4" /> Account and password
        </DropdownMenuItem>
        <DropdownMenuItem
          onSelect={async () => {
            await signOut({ redirect: false });
            window.location.assign("/login");
          }}
        >
          <LogOutIcon className="size-4" /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
