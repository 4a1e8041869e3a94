import { findSessionUser, type SessionIdentity } from "@dsc/core";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getToken } from "next-auth/jwt";
import { cache } from "react";
import { getDashboardServer } from "./dashboard-server.ts";

/**
 * The signed-in person of this request, or null: the session cookie says who they are, the
 * database says whether they still may sign in and with which role. Once per request.
 */
export const getSessionUser = cache(async (): Promise<SessionIdentity | null> => {
  // cookies first: it makes the page dynamic, so `next build` never reaches the database
  const cookieStore = await cookies();
  const server = await getDashboardServer();
  const token = await getToken({
    // only the cookie: a bearer header is not a way into the dashboard
    req: { cookies: cookieStore, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: server.nextAuthSecret,
    secureCookie: server.env.NEXTAUTH_URL.startsWith("https://"),
  });
  if (!token?.sub || typeof token.cv !== "string") return null;
  return findSessionUser(server, { userId: token.sub, credentialVersion: token.cv });
});

/** For pages: the signed-in person, or off to the sign-in page. */
export async function requireSessionUser(): Promise<SessionIdentity> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

/** For pages of some roles only: others get "not found", as for any page they cannot see. */
export async function requireRole(...roles: SessionIdentity["role"][]): Promise<SessionIdentity> {
  const user = await requireSessionUser();
  if (!roles.includes(user.role)) notFound();
  return user;
}
