import type { Metadata } from "next";
import Link from "next/link";
import { PolicyScreen } from "@/components/policy/policy-page";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, PageHeader } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { policyScreenData } from "@/lib/policy/page-data";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `${(await params).name} policy` };
}

export default async function ModelPolicyPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { name } = await params;
  const data = await orNotFound(policyScreenData({ actor: gate.actor, model: name, search: await searchParams }));
  return (
    <>
      <BackLink href={`/models/${name}`}>{name}</BackLink>
      <PageHeader
        title={`${name} policy`}
        description={
          <>
            Layered on the{" "}
            <Link className={linkStyles} href="/policies">
              organisation default
            </Link>
            : this policy may add gates and tighten mandatory ones, never loosen or remove them. See docs/policy.md for every key.
          </>
        }
      />
      <PolicyScreen basePath={`/models/${name}/policy`} model={name} {...data} />
    </>
  );
}
