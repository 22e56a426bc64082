// GET, POST /api/auth/* (next-auth: sign-in, sign-out, session, CSRF)
import NextAuth from "next-auth";
import { unservedMethods } from "@/lib/api/methods";
import { authOptions } from "@/lib/auth/options";

const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
