import { type AccessRole, findSessionUser, type SessionIdentity } from "@dsc/core";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getToken } from "next-auth/jwt";
import { cache } from "react";
import { REQUESTED_PATH_HEADER, signInPathFor } from "../callback-url.ts";
import { getDashboardServer } from "./dashboard-server.ts";

/** The one page a person whose password an admin set may see until they choose their own. */
export const ACCOUNT_PATH = "/account";

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

/** A signed-in person who may see more than their account: a platform role, or a member. */
export type ConsoleUser = SessionIdentity & { role: AccessRole };

/**
 * For pages (and the console's layout): the signed-in person, or off to the sign-in page with
 * the way back to the page asked for. A person whose password an admin set goes to their
 * account page until they choose their own, whichever page they asked for.
 */
export async function requireSessionUser(): Promise<SessionIdentity> {
  const user = await getSessionUser();
  const requested = (await headers()).get(REQUESTED_PATH_HEADER);
  if (!user) {
    const server = await getDashboardServer();
    redirect(signInPathFor(requested, server.env.NEXTAUTH_URL));
  }
  // (without the proxy's header the page is not known; its data is still refused by the API)
  if (user.mustChangePassword && requested !== null && pathOf(requested) !== ACCOUNT_PATH) {
    redirect(ACCOUNT_PATH);
  }
  return user;
}

/**
 * For pages of some roles only: others get "not found", as for any page they cannot see. A
 * person of no organization sees only their account, where they read why.
 */
export async function requireRole(...roles: AccessRole[]): Promise<ConsoleUser> {
  const user = await requireSessionUser();
  if (user.role === null) redirect(ACCOUNT_PATH);
  if (!roles.includes(user.role)) notFound();
  return user as ConsoleUser;
}

/** For pages every role sees: a person of no organization goes to their account instead. */
export async function requireConsoleUser(): Promise<ConsoleUser> {
  const user = await requireSessionUser();
  if (user.role === null) redirect(ACCOUNT_PATH);
  return user as ConsoleUser;
}

function pathOf(requested: string): string {
  return requested.split("?")[0] ?? requested;
}
