import type { NextConfig } from "next";
import { API_CSP, BASE_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // pg and the Prisma driver adapter load native-ish Node modules at run time; bundling them breaks their
  // dynamic requires, so the server resolves them from node_modules instead. nodemailer likewise (it loads its
  // transports and well-known service list at run time).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs", "nodemailer"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Fixed at build time, so only what never depends on the deployment: the pages' CSP (with its nonce) and HSTS
  // (which needs the public URL) are added per request by proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: [...BASE_HEADERS] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
