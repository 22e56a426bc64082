import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { isDatabaseUnavailable, reportDatabaseUnavailable } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { CLIENT_IP_HEADER } from "@/lib/ratelimit/client-ip.mjs";
import { lockedErrorCode } from "@/lib/ratelimit/sign-in-message";
import { sessionCookiePolicy } from "@/lib/security/cookies";
import { findOidcUser, signInWithOidc, signInWithPassword } from "./sign-in";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; sessionVersion: number };
  }
  interface User {
    sessionVersion?: number;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
  }
}

function oidcProvider(): NextAuthOptions["providers"] {
  const e = env();
  if (!e.oidcEnabled) return [];
  return [
    {
      id: "oidc",
      name: e.OIDC_DISPLAY_NAME,
      type: "oauth",
      wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: Record<string, unknown>) {
        return { id: String(profile.sub), email: String(profile.email ?? ""), name: String(profile.name ?? profile.email ?? "") };
      },
    },
  ];
}

/** next-auth options, built on first use so the secret and providers come from validated env. */
export const authOptions: NextAuthOptions = {
  get secret() {
    return env().NEXTAUTH_SECRET;
  },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  // Stated rather than left to next-auth's defaults: httpOnly and sameSite=lax always, secure (and `__Secure-`/`__Host-`
  // names for all of next-auth's cookies) when the public URL is https. lib/security/cookies.ts says why.
  get useSecureCookies() {
    return sessionCookiePolicy(env().NEXTAUTH_URL).secure;
  },
  get cookies() {
    const { name, options } = sessionCookiePolicy(env().NEXTAUTH_URL);
    return { sessionToken: { name, options } };
  },
  pages: { signIn: "/signin", error: "/signin" },
  get providers() {
    return [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          // Set by Gatehouse's own server over anything the client sent (lib/ratelimit/client-ip.mjs).
          const ip = req?.headers?.[CLIENT_IP_HEADER];
          // next-auth puts a thrown error's message in the sign-in URL: never a database's own message (host, port).
          const result = await signInWithPassword({ email: credentials.email, password: credentials.password, ip: typeof ip === "string" ? ip : null }).catch((err: unknown) => {
            if (isDatabaseUnavailable(err)) {
              reportDatabaseUnavailable();
              throw new Error("DatabaseUnavailable");
            }
            console.error("[gatehouse] password sign-in failed", err);
            throw new Error("SignInFailed");
          });
          // next-auth hands a thrown error's message to the sign-in form as its error code (sign-in-message.ts).
          if (!result.ok && result.retryAt) throw new Error(lockedErrorCode((result.retryAt.getTime() - Date.now()) / 1000));
          if (!result.ok) return null;
          const { user } = result;
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        },
      }),
      ...oidcProvider(),
    ];
  },
  callbacks: {
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc") {
        const synced = await findOidcUser(String(account.providerAccountId));
        token.sub = synced?.id;
        token.sv = synced?.sessionVersion;
      } else if (user) {
        token.sub = user.id;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = { ...session.user, id: token.sub ?? "", sessionVersion: token.sv ?? 0 } as typeof session.user;
      return session;
    },
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      const claims = (profile ?? {}) as Record<string, unknown>;
      // An OIDC account without an email cannot be matched to a Gatehouse user; see signInWithOidc for the rest.
      if (typeof claims.email !== "string" || !claims.email) return false;
      const user = await signInWithOidc({
        subject: String(account.providerAccountId),
        email: claims.email,
        emailVerified: claims.email_verified === true || claims.email_verified === "true",
        name: String(claims.name ?? claims.email),
        groups: claims[env().OIDC_GROUPS_CLAIM],
        roleMap: env().oidcRoleMap,
      });
      return user !== null;
    },
  },
};
