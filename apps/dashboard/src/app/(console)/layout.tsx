import type { ReactNode } from "react";
import { AppShell } from "../../components/app-shell.tsx";
import { requireSessionUser } from "../../server/session.ts";
import { TRPCReactProvider } from "../../trpc/client.tsx";

/** Every page behind sign-in. The person is read from the database on each request. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <TRPCReactProvider>
      <AppShell
        user={{
          name: user.name,
          email: user.email,
          role: user.role,
          organizationId: user.organizationId,
          organizationCount: user.organizationCount,
        }}
      >
        {children}
      </AppShell>
    </TRPCReactProvider>
  );
}
