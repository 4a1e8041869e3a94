import type { Metadata } from "next";
import { RoleBadge } from "../../../components/role-badge.tsx";
import { PageHeader, Section } from "../../../components/ui/page-header.tsx";
import { requireSessionUser } from "../../../server/session.ts";
import { getServerCaller } from "../../../server/trpc-caller.ts";
import { ChangePasswordForm } from "./change-password-form.tsx";
import { DeleteAccount } from "./delete-account.tsx";
import { SignOutEverywhere } from "./sign-out-everywhere.tsx";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireSessionUser();
  const me = await (await getServerCaller()).account.me();
  const isMember = user.platformRole === "DEVELOPER";
  return (
    <>
      <PageHeader
        title="Your account"
        description="Who you are signed in as, your password and your sessions."
      />
      {me.mustChangePassword ? (
        <p
          role="status"
          className="mb-5 rounded-md border border-warning/40 bg-warning-soft px-4 py-3 text-sm font-medium text-text"
        >
          An administrator set your password. Choose your own to continue.
        </p>
      ) : null}
      {isMember && user.role === null ? (
        <p
          role="status"
          className="mb-5 rounded-md border border-warning/40 bg-warning-soft px-4 py-3 text-sm font-medium text-text"
        >
          You belong to no organization. Accept an invitation, or ask an organization's owner to invite you.
        </p>
      ) : null}
      <div className="grid items-start gap-5 lg:grid-cols-2">
        <Section title="Profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-3 text-sm">
            <dt className="text-text-muted">Name</dt>
            <dd>{me.name ?? "—"}</dd>
            <dt className="text-text-muted">E-mail</dt>
            <dd>{me.email}</dd>
            <dt className="text-text-muted">Role</dt>
            <dd>
              {/* the role where they work now: a member's is their organization's */}
              <RoleBadge role={user.role ?? "NONE"} />
            </dd>
            <dt className="text-text-muted">Organization</dt>
            <dd>{isMember ? (me.organizationName ?? "None") : "All organizations"}</dd>
          </dl>
        </Section>
        <Section
          title="Password"
          description="Changing it signs you out everywhere else; this browser stays signed in."
        >
          {me.hasPassword ? (
            <ChangePasswordForm email={me.email} isRequired={me.mustChangePassword} />
          ) : (
            <p className="text-sm text-text-muted">
              You sign in through an identity provider; your password lives there.
            </p>
          )}
        </Section>
        <Section
          title="Sessions"
          description="Signed in on a computer that is not yours, or worried that a session was copied? End every session of yours, on every device, this browser included."
        >
          <SignOutEverywhere />
        </Section>
        {/* admins and compliance officers are erased by compliance, through a deletion request */}
        {me.role === "DEVELOPER" ? (
          <Section
            title="Delete my account"
            description="Your account is erased within 72 hours of your request, with every organization you are the only member of. You are signed out at once."
          >
            <DeleteAccount email={me.email} />
          </Section>
        ) : null}
      </div>
    </>
  );
}
