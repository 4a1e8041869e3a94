import type { OperationDefinition } from "./define-operation.ts";

/** The path of one call: each `{name}` replaced by its value, percent-encoded. */
export function operationPath(operation: OperationDefinition, params: Record<string, string> = {}): string {
  return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operation.id} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=2` of the defined values, in the order given; "" when there are none. */
export function queryString(query: Record<string, string | number | undefined> = {}): string {
  const pairs = Object.entries(query).filter(
    (pair): pair is [string, string | number] => pair[1] !== undefined,
  );
  if (pairs.length === 0) return "";
  return `?${new URLSearchParams(pairs.map(([name, value]): [string, string] => [name, String(value)])).toString()}`;
}
