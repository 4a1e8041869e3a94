import {
  authenticateWithPassword,
  type Clock,
  findUserByVerifiedEmail,
  recordSignIn,
  type SessionIdentity,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import { SignInInputSchema } from "@dsc/trpc/schemas";
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import type { Provider } from "next-auth/providers/index";
import { safeCallbackPath } from "../callback-url.ts";
import type { DashboardEnv } from "../env.ts";
import { clientAddress } from "./client-address.ts";
import type { LoginThrottle } from "./login-throttle.ts";

/**
 * Codes the sign-in page turns into sentences (NextAuth passes thrown messages through). A
 * refused attempt's code carries the wait in seconds: `RateLimited:42`.
 */
export const SIGN_IN_ERRORS = {
  rateLimited: "RateLimited",
  deactivated: "Deactivated",
  notInvited: "NotInvited",
  /** the address has an account whose owner never proved it: a provider must not sign into it */
  unverifiedAccount: "UnverifiedAccount",
  unverifiedEmail: "UnverifiedEmail",
  /** anything else went wrong (the database is down, …): its message stays in the server's log */
  unavailable: "Unavailable",
} as const;

/**
 * NextAuth puts a thrown error's message into the URL it answers with, for the browser to see:
 * only the codes above may leave, never an internal message (a Prisma error names tables).
 */
async function exposingOnlyCodes<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    const codes: readonly string[] = Object.values(SIGN_IN_ERRORS);
    if (codes.includes(message) || /^RateLimited:\d+$/.test(message)) throw error;
    console.error("sign-in failed:", error);
    throw new Error(SIGN_IN_ERRORS.unavailable);
  }
}

/**
 * Whether people can sign in through an identity provider here (OIDC or GitHub): without one,
 * a person added without a password could never sign in.
 */
export function hasIdentityProvider(env: Pick<DashboardEnv, "oidc" | "github">): boolean {
  return env.oidc !== null || env.github !== null;
}

/** Sessions are short for an operator console. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export interface AuthDeps {
  env: DashboardEnv;
  db: Database;
  clock: Clock;
  nextAuthSecret: string;
  loginThrottle: LoginThrottle;
}

type SignedInUser = User & { identity: SessionIdentity };

/** What NextAuth needs to know of the request it answers. */
export interface AuthRequest {
  /** the caller's address, for the audit record of a sign-in */
  origin: string;
  /** hears how long a refused sign-in must wait, for the response's Retry-After */
  onRefused?: (retryAfterMs: number) => void;
}

/**
 * NextAuth's configuration. Sessions are JWTs in an httpOnly cookie (NextAuth's credentials
 * provider works only with JWT sessions); the token names the person and their credential
 * version, and every request re-reads the person from the database (findSessionUser), so
 * deactivation, role and password changes and signing out everywhere apply at the next
 * request.
 */
export function buildAuthOptions(deps: AuthDeps, { origin, onRefused }: AuthRequest): NextAuthOptions {
  const providers: Provider[] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: {
        email: { label: "E-mail", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, request): Promise<SignedInUser | null> {
        return exposingOnlyCodes(async () => {
          const parsed = SignInInputSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const address = clientAddress(request.headers ?? {});
          const attempt = await deps.loginThrottle.attempt(parsed.data.email, address);
          if (!attempt.allowed) {
            onRefused?.(attempt.retryAfterMs);
            throw new Error(`${SIGN_IN_ERRORS.rateLimited}:${Math.ceil(attempt.retryAfterMs / 1000)}`);
          }
          const result = await authenticateWithPassword(deps, parsed.data);
          // only a wrong password is a failure: the right one for a deactivated account is no guess
          if (result.outcome !== "invalid") await attempt.refund();
          if (result.outcome === "deactivated") throw new Error(SIGN_IN_ERRORS.deactivated);
          if (result.outcome !== "signed_in") return null;
          return {
            id: result.user.id,
            email: result.user.email,
            name: result.user.name,
            identity: result.user,
          };
        });
      },
    }),
  ];
  if (deps.env.oidc) {
    const oidc = deps.env.oidc;
    providers.push({
      id: "oidc",
      name: oidc.name,
      type: "oauth",
      wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile) {
        return {
          id: String(profile.sub),
          email: profile.email_verified === true ? String(profile.email) : null,
          name: profile.name ?? profile.preferred_username ?? null,
        };
      },
    });
  }
  if (deps.env.github) {
    providers.push(
      GitHubProvider({
        clientId: deps.env.github.clientId,
        clientSecret: deps.env.github.clientSecret,
        // Only a verified primary address identifies a person; GitHub's profile address may not be.
        userinfo: {
          url: "https://api.github.com/user",
          async request({ client, tokens }) {
            const profile = await client.userinfo(tokens.access_token as string);
            const response = await fetch("https://api.github.com/user/emails", {
              headers: {
                Authorization: `token ${tokens.access_token}`,
                Accept: "application/vnd.github+json",
              },
            });
            const emails: { email: string; primary: boolean; verified: boolean }[] = response.ok
              ? await response.json()
              : [];
            return { ...profile, email: emails.find((e) => e.primary && e.verified)?.email };
          },
        },
      }),
    );
  }

  return {
    secret: deps.nextAuthSecret,
    providers,
    // 12 hours from sign-in: the pages never poll /api/auth/session, so the token is not renewed
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    // httpOnly, SameSite=Lax always; Secure (and the __Secure- prefix) when served over https.
    useSecureCookies: deps.env.NEXTAUTH_URL.startsWith("https://"),
    pages: { signIn: "/login", error: "/login" },
    callbacks: {
      // Every callbackUrl NextAuth is handed (sign-in, sign-out, provider callbacks) comes
      // through here: only paths of this site, else the start page.
      async redirect({ url, baseUrl }) {
        const origin = new URL(baseUrl).origin;
        // NextAuth hands over its own URLs whole; anything else must be a path as written
        const path = url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
        return `${origin}${safeCallbackPath(path, origin)}`;
      },
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        // identity providers only sign in people an admin added, by their verified address
        const email = user.email;
        if (!email) return `/login?error=${SIGN_IN_ERRORS.unverifiedEmail}`;
        const person = await exposingOnlyCodes(() => findUserByVerifiedEmail(deps, { email }));
        if (!person) return `/login?error=${SIGN_IN_ERRORS.notInvited}`;
        // anyone may sign up with someone else's address; the provider's word is not enough to
        // enter an account its owner never verified (a reset link by e-mail proves it instead)
        return person.emailVerified ? true : `/login?error=${SIGN_IN_ERRORS.unverifiedAccount}`;
      },
      async jwt({ token, user, account }) {
        if (!user || !account) return token; // an existing session: nothing to add
        return exposingOnlyCodes(async () => {
          const identity =
            "identity" in user
              ? (user as SignedInUser).identity
              : await findUserByVerifiedEmail(deps, { email: user.email ?? "" });
          if (!identity) throw new Error(SIGN_IN_ERRORS.notInvited);
          if (!("identity" in user) && !identity.emailVerified)
            throw new Error(SIGN_IN_ERRORS.unverifiedAccount);
          await recordSignIn(deps, {
            userId: identity.id,
            organizationId: identity.organizationId,
            method: account.provider,
            origin,
          });
          return {
            sub: identity.id,
            name: identity.name,
            email: identity.email,
            cv: identity.credentialVersion,
          };
        });
      },
      // The browser never needs more than this; pages ask the server, which reads the database.
      async session({ session, token }) {
        return { expires: session.expires, user: { name: token.name, email: token.email } };
      },
    },
  };
}
