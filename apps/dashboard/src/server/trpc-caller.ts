import { appRouter } from "@dsc/trpc";
import { headers } from "next/headers";
import { trpcContextOf } from "./trpc-context.ts";

/** The tRPC router called directly from Server Components, as the signed-in person. */
export async function getServerCaller() {
  return appRouter.createCaller(await trpcContextOf(await headers()));
}
