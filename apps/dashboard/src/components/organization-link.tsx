import Link from "next/link";

/** An organization's name, leading to its page. */
export function OrganizationLink({ id, name }: { id: string; name: string | null }) {
  return (
    <Link href={`/organizations/${id}`} className="text-accent no-underline hover:underline">
      {name}
    </Link>
  );
}
