import { redirect } from "next/navigation";

// Until authentication lands there is nothing to show signed-out visitors but the sign-in page.
export default function HomePage(): never {
  redirect("/login");
}
