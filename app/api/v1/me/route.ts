// GET /api/v1/me
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { describeActor } from "@/lib/auth/describe";

export const GET = withApi({}, async ({ actor }) => describeActor(actor));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
