/**
 * Whether a piece of an SQL script ends inside a quoted string, a quoted identifier, a
 * dollar-quoted body or a comment. Prisma's driver adapter splits a migration at every `;`;
 * a piece that ends inside one of these was cut at a `;` that belongs to it, so it is joined
 * with the next piece before anything runs (see prisma.config.ts). Standard strings only: a
 * backslash in an E'' string is not read as an escape.
 */
export function endsInsideQuoteOrComment(sql: string): boolean {
  let at = 0;
  while (at < sql.length) {
    const char = sql[at];
    const next = sql[at + 1];
    let end: number;
    if (char === "-" && next === "-") {
      end = sql.indexOf("\n", at + 2);
      if (end === -1) return true;
      at = end + 1;
    } else if (char === "/" && next === "*") {
      end = sql.indexOf("*/", at + 2);
      if (end === -1) return true;
      at = end + 2;
    } else if (char === "'" || char === '"') {
      // a doubled quote is an escaped one, inside the same string
      end = at;
      do {
        end = sql.indexOf(char, end + 1);
        if (end === -1) return true;
      } while (sql[end + 1] === char && ++end);
      at = end + 1;
    } else if (char === "$") {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(at, at + 64))?.[0];
      if (!tag) {
        at += 1; // a parameter ($1) or part of an identifier
        continue;
      }
      end = sql.indexOf(tag, at + tag.length);
      if (end === -1) return true;
      at = end + tag.length;
    } else {
      at += 1;
    }
  }
  return false;
}
