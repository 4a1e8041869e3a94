import { readFileSync } from "node:fs";
import path from "node:path";
import { ACCESS_ROLES, type AccessRole } from "@dsc/core";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/database.ts";
import { appRouter } from "./app-router.ts";
import type { ProcedureMeta } from "./procedure.ts";
import { createDashboardWorld, type DashboardWorld } from "./testing/dashboard-world.ts";

interface DocumentedRule {
  roles: AccessRole[];
  /** the "signed out" column: the procedure works without a session */
  anyone: boolean;
}

const SIGNED_OUT = "signed out";

/** docs/rbac.md's table: procedure → the roles marked ✅, and whether it works signed out. */
function readDocumentedMatrix(): Map<string, DocumentedRule> {
  const markdown = readFileSync(path.resolve(import.meta.dirname, "../../../docs/rbac.md"), "utf8");
  const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
  const header = (rows[0] ?? "").split("|").map((cell) => cell.trim());
  const columnOf = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`docs/rbac.md has no ${name} column`);
    return index;
  };
  const roleColumns = ACCESS_ROLES.map((role) => [role, columnOf(role)] as const);
  const signedOutColumn = columnOf(SIGNED_OUT);
  const matrix = new Map<string, DocumentedRule>();
  for (const row of rows.slice(2)) {
    const cells = row.split("|").map((cell) => cell.trim());
    const name = /^`([\w.]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!name) throw new Error(`docs/rbac.md: cannot read the procedure of row ${row}`);
    const marked = (index: number) => {
      const cell = cells[index];
      if (cell !== "✅" && cell !== "—") throw new Error(`docs/rbac.md: ${name} has "${cell}" for a role`);
      return cell === "✅";
    };
    const allowed = roleColumns.filter(([, index]) => marked(index));
    if (matrix.has(name)) throw new Error(`docs/rbac.md lists ${name} twice`);
    matrix.set(name, { roles: allowed.map(([role]) => role), anyone: marked(signedOutColumn) });
  }
  return matrix;
}

const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { meta?: ProcedureMeta; type: string } }
>;
const documented = readDocumentedMatrix();

/** Calls a procedure by its dotted path with no input: the role check runs before the input is parsed. */
async function outcome(
  world: DashboardWorld,
  role: AccessRole | "nobody" | null,
  name: string,
): Promise<string> {
  const caller = role === "nobody" ? world.caller(world.nobody) : role ? world.as(role) : world.caller(null);
  // biome-ignore lint/suspicious/noExplicitAny: walking the router by name
  let target: any = caller;
  for (const part of name.split(".")) target = target[part];
  try {
    await target(undefined);
    return "passed";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return error.code;
  }
}

let world: DashboardWorld;
beforeAll(async () => {
  world = await createDashboardWorld((await createTestDatabase()).db);
});

describe("the RBAC matrix in docs/rbac.md", () => {
  it("lists exactly the procedures of the router", () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(procedures).sort());
  });

  it("matches every procedure's declared roles", () => {
    for (const [name, procedure] of Object.entries(procedures)) {
      const meta = procedure._def.meta;
      // a procedure anyone may call declares no role: every role may call it too
      const declared = meta?.anyone ? [...ACCESS_ROLES] : [...(meta?.roles ?? [])];
      const rule = documented.get(name);
      expect({ name, roles: declared.sort(), anyone: meta?.anyone === true }).toEqual({
        name,
        roles: [...(rule?.roles ?? [])].sort(),
        anyone: rule?.anyone ?? false,
      });
    }
  });

  it("holds when every procedure is called as every role, as a person of no organization, and signed out", async () => {
    const mismatches: string[] = [];
    const refused = (got: string) => got === "FORBIDDEN" || got === "UNAUTHORIZED";
    for (const name of Object.keys(procedures)) {
      const rule = documented.get(name) ?? { roles: [], anyone: false };
      const signedOut = await outcome(world, null, name);
      if (rule.anyone ? refused(signedOut) : signedOut !== "UNAUTHORIZED") {
        mismatches.push(`${name} signed out: ${signedOut}`);
      }
      for (const role of ACCESS_ROLES) {
        const got = await outcome(world, role, name);
        if (rule.roles.includes(role) === refused(got)) mismatches.push(`${name} as ${role}: ${got}`);
      }
      // of no organization: their own account (and what anyone may do) only
      const lonely = await outcome(world, "nobody", name);
      if ((rule.anyone || name.startsWith("account.")) === refused(lonely)) {
        mismatches.push(`${name} as a person of no organization: ${lonely}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
