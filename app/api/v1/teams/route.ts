// GET, POST /api/v1/teams
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZCreateTeamInput } from "@/lib/auth/schemas";
import { createTeam, listTeams } from "@/lib/auth/teams";

export const GET = withApi({ permission: "registry.read" }, async ({ actor }) => ({ items: await listTeams({ actor }) }));

export const POST = withApi({ permission: "teams.manage", body: ZCreateTeamInput }, async ({ actor, body }) =>
  new Reply(await createTeam({ actor, input: body }), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
