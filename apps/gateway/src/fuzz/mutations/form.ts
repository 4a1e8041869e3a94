/** Mutations of the OAuth token request's form body. */
import fc from "fast-check";
import { type Mutation, mutation } from "../drafts.ts";
import { ODD_KEYS, oddText } from "./odd-values.ts";

export const formMutations: fc.Arbitrary<Mutation>[] = [
  fc.constantFrom("grant_type", "client_id", "client_secret", "scope").chain((name) =>
    fc.constantFrom(
      mutation("form: duplicate field", name, (d) => {
        const pairs = (d.body as { pairs: [string, string][] }).pairs;
        pairs.push([name, name === "grant_type" ? "password" : "second"]);
      }),
      mutation("form: missing field", name, (d) => {
        const body = d.body as { pairs: [string, string][] };
        body.pairs = body.pairs.filter(([key]) => key !== name);
      }),
    ),
  ),
  fc
    .tuple(
      fc.constantFrom(...ODD_KEYS, "constructor[prototype][isAdmin]", "__proto__[isAdmin]", "a[b][c]"),
      fc.string(),
    )
    .map(([key, value]) =>
      mutation(
        key.includes("proto") || key.includes("constructor") ? "form: prototype key" : "form: extra field",
        key,
        (d) => {
          (d.body as { pairs: [string, string][] }).pairs.push([key, value]);
        },
      ),
    ),
  fc
    .tuple(fc.constantFrom("grant_type", "client_id", "client_secret", "scope"), oddText)
    .map(([name, text]) =>
      mutation("form: odd unicode value", `${name}=${JSON.stringify(text).slice(0, 40)}`, (d) => {
        const pairs = (d.body as { pairs: [string, string][] }).pairs;
        const pair = pairs.find(([key]) => key === name);
        if (pair) pair[1] = text;
      }),
    ),
  fc
    .tuple(
      fc.constantFrom("client_id", "client_secret", "scope"),
      fc.constantFrom(201, 1_001, 100_000, 1_000_000),
    )
    .map(([name, length]) =>
      mutation("form: huge value", `${name} of ${length}`, (d) => {
        const pair = (d.body as { pairs: [string, string][] }).pairs.find(([key]) => key === name);
        if (pair) pair[1] = "x".repeat(length);
      }),
    ),
  fc
    .constantFrom(
      "grant_type=client_credentials&client_id=%zz&client_secret=a",
      "grant_type=client_credentials&client_id=%&client_secret=%",
      "grant_type=client_credentials&client_id=%FF%FE&client_secret=%ED%A0%80",
      "grant_type=client_credentials&client_id=%00&client_secret=%00",
      "grant_type=client%5Fcredentials&client_id=a&client_secret=b",
      "&&&=&=&grant_type",
      "grant_type",
      "=",
      "grant_type=client_credentials;client_id=a;client_secret=b",
      `grant_type=client_credentials&${"a=1&".repeat(5_000)}`,
      "grant_type[]=client_credentials",
      "grant_type=client_credentials&client_id=a&client_secret=b&client_secret=c",
    )
    .map((text) =>
      mutation("form: odd encoding", text.slice(0, 60), (d) => {
        d.body = { kind: "bytes", bytes: Buffer.from(text) };
      }),
    ),
  fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80]).map((bytes) =>
    mutation("form: invalid UTF-8 bytes", Buffer.from(bytes).toString("hex"), (d) => {
      d.body = {
        kind: "bytes",
        bytes: Buffer.concat([
          Buffer.from("grant_type=client_credentials&client_id="),
          Buffer.from(bytes),
          Buffer.from("&client_secret=x"),
        ]),
      };
      d.transport = "socket";
    }),
  ),
  fc
    .constantFrom(
      "application/x-www-form-urlencoded; charset=latin1",
      "application/x-www-form-urlencoded; charset=utf-16",
      "text/plain",
      "application/json",
      "multipart/form-data; boundary=x",
      "",
    )
    .map((contentType) =>
      mutation("form: odd content type", contentType, (d) => {
        d.contentType = contentType;
      }),
    ),
];
