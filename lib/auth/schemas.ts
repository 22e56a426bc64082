import { z } from "zod";
import { ROLES, SCOPES } from "./permissions";

import { ZPageQuery } from "@/lib/pagination";
import { STORABLE_MESSAGE as STORABLE, ZReason, requiredText as required, storable } from "@/lib/text";

export { ZReason };

export const ZEmail = z
  .string({ error: "Enter a valid email address" })
  .trim()
  .toLowerCase()
  .max(254)
  .refine(storable, STORABLE)
  .pipe(z.email("Enter a valid email address"));
// bcrypt reads only the first 72 bytes of a password; longer ones would be silently truncated.
export const ZPassword = z
  .string({ error: "Use at least 12 characters" })
  .min(12, "Use at least 12 characters")
  .refine(storable, STORABLE)
  .refine((s) => Buffer.byteLength(s, "utf8") <= 72, "Use at most 72 bytes (about 72 plain letters)");
export const ZTeamSlug = z
  .string({ error: "Enter a slug" })
  .trim()
  .min(2, "Use at least 2 characters")
  .max(40, "Use at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Use lowercase letters, digits and dashes, starting with a letter or digit");

export const ZRoleGrantInput = z.object({
  role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}` }),
  // A team slug, or null/absent for a global grant.
  team: ZTeamSlug.nullish(),
  reason: ZReason,
});
export type TRoleGrantInput = z.infer<typeof ZRoleGrantInput>;

export const ZCreateUserInput = z.object({
  email: ZEmail,
  name: required("Enter a name", 120),
  // Without a password the user gets an invitation link to set their own.
  password: ZPassword.optional(),
  roles: z.array(ZRoleGrantInput.omit({ reason: true })).max(20).default([]),
  reason: ZReason,
});
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZAcceptInvitationInput = z
  .object({ password: ZPassword, confirm: z.string({ error: "Repeat the password" }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });
export type TAcceptInvitationInput = z.infer<typeof ZAcceptInvitationInput>;

export const ZResetPasswordInput = z.object({ password: ZPassword, reason: ZReason });
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

export const ZSetUserActiveInput = z.object({ active: z.boolean(), reason: ZReason });
export type TSetUserActiveInput = z.infer<typeof ZSetUserActiveInput>;

export const ZCreateTeamInput = z.object({
  slug: ZTeamSlug,
  name: required("Enter a name", 120),
  reason: ZReason,
});
export type TCreateTeamInput = z.infer<typeof ZCreateTeamInput>;

export const ZCreateTokenInput = z
  .object({
    name: required("Enter a name", 80),
    kind: z.enum(["user", "service"], { message: "Kind must be user or service" }),
    userEmail: ZEmail.optional(),
    scopes: z.array(z.enum(SCOPES, { message: `Scopes are ${SCOPES.join(", ")}` })).default([]),
    // Its own REST rate limit in requests a minute; absent or null: the server's default (GATEHOUSE_API_RATE_LIMIT).
    rateLimitPerMinute: z.coerce
      .number({ error: "Enter a number of requests a minute" })
      .int("Enter a whole number of requests a minute")
      .min(1, "Allow at least 1 request a minute")
      .max(1_000_000, "Use at most 1,000,000 requests a minute")
      .nullish(),
    reason: ZReason,
  })
  .superRefine((t, ctx) => {
    if (t.kind === "user" && !t.userEmail) ctx.addIssue({ code: "custom", path: ["userEmail"], message: "A user token needs the user's email" });
    if (t.kind === "user" && t.scopes.length) ctx.addIssue({ code: "custom", path: ["scopes"], message: "A user token acts with the user's roles; leave scopes empty" });
    if (t.kind === "service" && t.scopes.length === 0) ctx.addIssue({ code: "custom", path: ["scopes"], message: "Choose at least one scope" });
    if (t.kind === "service" && t.userEmail) ctx.addIssue({ code: "custom", path: ["userEmail"], message: "A service token belongs to no user" });
  });
export type TCreateTokenInput = z.infer<typeof ZCreateTokenInput>;

export const ZReasonInput = z.object({ reason: ZReason });

export const ZListQuery = ZPageQuery.extend({ q: z.string().trim().max(200).refine(storable, STORABLE).optional() });
