// `npm run build`: install, generate the Prisma client and build the app (for production deployments).
import { ensureBuilt, ensureInstalled, ensurePrismaClient } from "./lib/setup.mjs";

ensureInstalled();
ensurePrismaClient();
ensureBuilt();
