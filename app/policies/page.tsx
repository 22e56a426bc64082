import type { Metadata } from "next";
import { PolicyScreen } from "@/components/policy/policy-page";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/layout";
import { checkPagePermission } from "@/lib/auth/actor";
import { policyScreenData } from "@/lib/policy/page-data";

export const metadata: Metadata = { title: "Organisation policy" };

export default async function DefaultPolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const data = await policyScreenData({ actor: gate.actor, model: null, search: await searchParams });
  return (
    <>
      <PageHeader title="Organisation default policy" description="Every model inherits these stages and gates. Gates marked mandatory can be tightened by a model's policy, never loosened or removed." />
      <PolicyScreen basePath="/policies" model={null} {...data} />
    </>
  );
}
