import { createHash, randomBytes } from "node:crypto";
import type { AccountToken, AccountTokenPurpose, Database, Prisma } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";

/** How long a link works. */
export const ACCOUNT_TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  EMAIL_VERIFICATION: 24 * 60 * 60 * 1000,
  PASSWORD_RESET: 60 * 60 * 1000,
  INVITATION: 7 * 24 * 60 * 60 * 1000,
};

/** A link's secret: 32 random bytes, base64url. Anything else is not worth a database read. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssueAccountTokenInput {
  purpose: AccountTokenPurpose;
  /** normalised */
  email: string;
  userId?: string | null;
  organizationId?: string | null;
  memberRole?: MemberRole | null;
  createdById?: string | null;
}

export interface IssuedAccountToken {
  id: string;
  /** the secret for the link: shown or sent once, never stored */
  token: string;
  expiresAt: Date;
}

/** Only the SHA-256 of a link's secret is kept: a read of the table opens no account. */
export function hashAccountToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Makes a single-use link. The older unused links of the same purpose for the same person (or,
 * for an invitation, the same address and organization) stop working: only the newest counts.
 */
export async function issueAccountToken(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: IssueAccountTokenInput,
): Promise<IssuedAccountToken> {
  const now = clock.now();
  await tx.accountToken.updateMany({
    where: { ...sameSubject(input), usedAt: null },
    data: { usedAt: now },
  });
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ACCOUNT_TOKEN_LIFETIME_MS[input.purpose]);
  const row = await tx.accountToken.create({
    data: {
      id: newId("accountToken"),
      purpose: input.purpose,
      tokenHash: hashAccountToken(token),
      email: input.email,
      userId: input.userId ?? null,
      organizationId: input.organizationId ?? null,
      memberRole: input.memberRole ?? null,
      createdById: input.createdById ?? null,
      expiresAt,
      createdAt: now,
    },
  });
  return { id: row.id, token, expiresAt };
}

function sameSubject(input: IssueAccountTokenInput): Prisma.AccountTokenWhereInput {
  if (input.purpose === "INVITATION") {
    return { purpose: input.purpose, email: input.email, organizationId: input.organizationId ?? null };
  }
  return input.userId
    ? { purpose: input.purpose, userId: input.userId }
    : { purpose: input.purpose, email: input.email };
}

/** A link that still works (unused, unexpired), without using it: for a page that previews it. */
export async function findAccountToken(
  deps: { db: Database | Prisma.TransactionClient; clock: Clock },
  input: { purpose: AccountTokenPurpose; token: string },
): Promise<AccountToken | null> {
  if (!TOKEN_PATTERN.test(input.token)) return null;
  const row = await deps.db.accountToken.findUnique({ where: { tokenHash: hashAccountToken(input.token) } });
  if (!row || row.purpose !== input.purpose || row.usedAt || row.expiresAt <= deps.clock.now()) return null;
  return row;
}

/**
 * Uses a link once: of two requests with the same link at the same moment, only one gets the
 * row. Null for a link that is unknown, used, expired or made for another purpose.
 */
export async function consumeAccountToken(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: { purpose: AccountTokenPurpose; token: string },
): Promise<AccountToken | null> {
  if (!TOKEN_PATTERN.test(input.token)) return null;
  const now = clock.now();
  const tokenHash = hashAccountToken(input.token);
  const used = await tx.accountToken.updateMany({
    where: { tokenHash, purpose: input.purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (used.count === 0) return null;
  return tx.accountToken.findUnique({ where: { tokenHash } });
}
