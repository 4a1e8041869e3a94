import { redirect } from "next/navigation";
import { connection } from "next/server";

// Until authentication lands there is nothing to show but the sign-in page. Rendered per
// request (not prerendered) so the temporary redirect is not cached by shared caches, and so
// the signed-in check that comes with authentication can take its place.
export default async function HomePage(): Promise<never> {
  await connection();
  redirect("/login");
}
