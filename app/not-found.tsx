import Link from "next/link";
import { EmptyState } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";

export default function NotFound() {
  return (
    <EmptyState title="Page not found" action={<Link className={linkStyles} href="/">Back to the overview</Link>}>
      The page you asked for does not exist or was moved.
    </EmptyState>
  );
}
