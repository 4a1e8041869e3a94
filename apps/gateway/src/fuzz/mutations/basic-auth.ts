/** Client authentication by HTTP Basic on the OAuth token endpoint, in place of body credentials. */
import fc from "fast-check";
import { type Mutation, mutation } from "../drafts.ts";

export const basicAuthMutations: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom<[string, string | Buffer]>(
      ["base64 of id:secret", "Basic <good>"],
      ["not base64", "Basic !!!!"],
      ["no colon", `Basic ${Buffer.from("just-an-id").toString("base64")}`],
      ["empty id", `Basic ${Buffer.from(":secret").toString("base64")}`],
      ["invalid UTF-8 inside", `Basic ${Buffer.from([0x61, 0xff, 0x3a, 0xc0, 0xaf]).toString("base64")}`],
      ["bad percent-encoding inside", `Basic ${Buffer.from("%zz:%").toString("base64")}`],
      ["huge", `Basic ${"QUFB".repeat(2_000)}`],
      ["scheme only", "Basic"],
      ["lower-case scheme", "basic Og=="],
      ["raw bytes", Buffer.from([0x42, 0x61, 0x73, 0x69, 0x63, 0x20, 0xff, 0xfe])],
    )
    .map(([name, header]) =>
      mutation("OAuth: odd HTTP Basic", name, (d) => {
        const pairs = d.body.kind === "form" ? d.body.pairs : null;
        let value = header;
        if (header === "Basic <good>") {
          const body =
            d.body.kind === "json"
              ? (d.body.value as Record<string, string>)
              : Object.fromEntries(pairs ?? []);
          value = `Basic ${Buffer.from(`${body.client_id}:${body.client_secret}`).toString("base64")}`;
        }
        if (pairs)
          (d.body as { pairs: [string, string][] }).pairs = pairs.filter(([key]) => key !== "client_secret");
        else if (d.body.kind === "json") delete (d.body.value as Record<string, unknown>).client_secret;
        d.headers.push(["Authorization", value]);
        if (typeof value !== "string") d.transport = "socket";
      }),
    ),
];
