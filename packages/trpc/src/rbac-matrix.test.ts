import { readFileSync } from "node:fs";
import path from "node:path";
import { ROLES, type Role } from "@dsc/core";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/database.ts";
import { appRouter } from "./app-router.ts";
import type { ProcedureMeta } from "./procedure.ts";
import { createDashboardWorld, type DashboardWorld } from "./testing/dashboard-world.ts";

/** docs/rbac.md's table: procedure → the roles marked ✅. */
function readDocumentedMatrix(): Map<string, Role[]> {
  const markdown = readFileSync(path.resolve(import.meta.dirname, "../../../docs/rbac.md"), "utf8");
  const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
  const header = (rows[0] ?? "").split("|").map((cell) => cell.trim());
  const roleColumns = ROLES.map((role) => {
    const index = header.indexOf(role);
    if (index < 0) throw new Error(`docs/rbac.md has no ${role} column`);
    return [role, index] as const;
  });
  const matrix = new Map<string, Role[]>();
  for (const row of rows.slice(2)) {
    const cells = row.split("|").map((cell) => cell.trim());
    const name = /^`([\w.]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!name) throw new Error(`docs/rbac.md: cannot read the procedure of row ${row}`);
    const allowed = roleColumns.filter(([, index]) => {
      const cell = cells[index];
      if (cell !== "✅" && cell !== "—") throw new Error(`docs/rbac.md: ${name} has "${cell}" for a role`);
      return cell === "✅";
    });
    if (matrix.has(name)) throw new Error(`docs/rbac.md lists ${name} twice`);
    matrix.set(
      name,
      allowed.map(([role]) => role),
    );
  }
  return matrix;
}

const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { meta?: ProcedureMeta; type: string } }
>;
const documented = readDocumentedMatrix();

/** Calls a procedure by its dotted path with no input: the role check runs before the input is parsed. */
async function outcome(world: DashboardWorld, role: Role | null, name: string): Promise<string> {
  const caller = role ? world.as(role) : world.caller(null);
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
      expect({ name, roles: [...(procedure._def.meta?.roles ?? [])].sort() }).toEqual({
        name,
        roles: [...(documented.get(name) ?? [])].sort(),
      });
    }
  });

  it("holds when every procedure is called as every role and signed out", async () => {
    const mismatches: string[] = [];
    for (const name of Object.keys(procedures)) {
      const allowed = documented.get(name) ?? [];
      if ((await outcome(world, null, name)) !== "UNAUTHORIZED") mismatches.push(`${name} signed out`);
      for (const role of ROLES) {
        const got = await outcome(world, role, name);
        const refused = got === "FORBIDDEN" || got === "UNAUTHORIZED";
        if (allowed.includes(role) === refused) mismatches.push(`${name} as ${role}: ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
