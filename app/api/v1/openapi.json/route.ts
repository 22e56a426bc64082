// GET /api/v1/openapi.json
import { NextResponse } from "next/server";
import { unservedMethods } from "@/lib/api/methods";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

export function GET() {
  return NextResponse.json(openApiDocument());
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
