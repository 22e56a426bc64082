// GET /api/v1/me
import { withApi } from "@/lib/api/with-api";
import { describeActor } from "@/lib/auth/describe";

export const GET = withApi({}, async ({ actor }) => describeActor(actor));
