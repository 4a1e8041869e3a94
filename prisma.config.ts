import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { endsInsideQuoteOrComment } from "./packages/db/src/sql-script.ts";

/**
 * Prisma's schema engine runs as WebAssembly through the pg driver adapter, so no native
 * engine has to be downloaded (see packages/db/README.md).
 *
 * @prisma/adapter-pg 6.19 cannot decode catalog columns of type `name` (oid 19) under the
 * WebAssembly engine (prisma/prisma#27403); presenting them as text lets `migrate diff` and
 * `migrate deploy` introspect the database.
 *
 * Its `executeScript` also splits a migration at every `;`, which cuts apart dollar-quoted
 * function bodies, and comments and strings that hold a `;`; such pieces are joined again here
 * before they are run.
 */
class CatalogPool extends pg.Pool {
  private unfinishedStatement: string | null = null;

  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query() signature
  override async query(...args: any[]): Promise<any> {
    if (typeof args[0] === "string" && args.length === 1) {
      const text = this.unfinishedStatement === null ? args[0] : `${this.unfinishedStatement};\n${args[0]}`;
      if (endsInsideQuoteOrComment(text)) {
        this.unfinishedStatement = text;
        return { rows: [], fields: [], rowCount: 0, command: "" };
      }
      this.unfinishedStatement = null;
      args[0] = text;
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const result = await (super.query as any)(...args);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === 19) field.dataTypeID = 25;
    }
    return result;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL must be set for this Prisma command");
    // biome-ignore lint/suspicious/noExplicitAny: the adapter accepts any pg.Pool
    return new PrismaPg(new CatalogPool({ connectionString, idleTimeoutMillis: 200 }) as any);
  },
});
