import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // pg and the Prisma driver adapter load native-ish Node modules at run time; bundling them breaks their
  // dynamic requires, so the server resolves them from node_modules instead. nodemailer likewise (it loads its
  // transports and well-known service list at run time).
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs", "nodemailer"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
