import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // pg and the Prisma driver adapter load native-ish Node modules at run time; bundling them breaks their
  // dynamic requires, so the server resolves them from node_modules instead.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
