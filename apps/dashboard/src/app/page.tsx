import { redirect } from "next/navigation";
import { getSessionUser } from "../server/session.ts";

/** Where "/" leads: sign-in, or the overview, every role's landing page. */
export default async function HomePage(): Promise<never> {
  const user = await getSessionUser();
  redirect(user ? "/overview" : "/login");
}
