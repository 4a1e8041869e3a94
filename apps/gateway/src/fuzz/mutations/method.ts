import fc from "fast-check";
import { type Mutation, mutation } from "../drafts.ts";

export const methodMutations: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom(
      "get",
      "post",
      "PATCH",
      "PUT",
      "OPTIONS",
      "TRACE",
      "HEAD",
      "DELETE",
      "POST",
      "GET",
      "FOO",
      "PROPFIND",
      "M-SEARCH",
      "CONNECT",
      "PRI",
    )
    .map((method) =>
      mutation("HTTP: odd method", method, (d) => {
        d.method = method;
        d.transport = "socket";
      }),
    ),
];
