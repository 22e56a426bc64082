import { Badge } from "@/components/ui/layout";

export function UserStatus({ user }: { user: { active: boolean; invited: boolean } }) {
  if (!user.active) return <Badge tone="bad">deactivated</Badge>;
  if (user.invited) return <Badge tone="warn">invited</Badge>;
  return <Badge tone="good">active</Badge>;
}
