import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { optionalText } from "@/lib/text";
import { MAX_URL_LENGTH } from "./address";
import { EVENT_FAMILIES, WEBHOOK_EVENTS, isFilterEntry, normalizeFilter } from "./events";

/** The inputs of the webhook use cases: reused by the REST handlers, the server actions and the OpenAPI document. */
const FILTER_HELP = `Use an event (${WEBHOOK_EVENTS.join(", ")}), a family (${EVENT_FAMILIES.map((f) => `${f}.*`).join(", ")}) or * for every event`;

// Whether the address may be called depends on the server's setting and DNS: the use case checks that.
export const ZWebhookUrl = z
  .string({ error: "Enter the receiver's URL" })
  .trim()
  .min(1, "Enter the receiver's URL")
  .max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters`)
  .refine((v) => URL.canParse(v) && ["https:", "http:"].includes(new URL(v).protocol), "Enter a full https:// (or http://) URL, e.g. https://hooks.example.com/gatehouse");

export const ZEventFilter = z
  .array(z.string().refine(isFilterEntry, FILTER_HELP), { error: "Choose at least one event" })
  .min(1, "Choose at least one event")
  .max(50, "Use at most 50 entries")
  .transform(normalizeFilter);

export const ZCreateWebhookInput = z.object({
  url: ZWebhookUrl,
  events: ZEventFilter,
  description: optionalText(500).transform((v) => v ?? ""),
  enabled: z.boolean().default(true),
});
export type TCreateWebhookInput = z.input<typeof ZCreateWebhookInput>;

export const ZUpdateWebhookInput = z
  .object({ url: ZWebhookUrl, events: ZEventFilter, description: optionalText(500).transform((v) => v ?? ""), enabled: z.boolean() })
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Send at least one of url, events, description, enabled", path: ["(body)"] });
export type TUpdateWebhookInput = z.input<typeof ZUpdateWebhookInput>;

export const ZListDeliveriesQuery = ZPageQuery.extend({
  status: z.enum(["pending", "delivered", "failed"], "Use pending, delivered or failed").optional(),
});
export type TListDeliveriesQuery = z.infer<typeof ZListDeliveriesQuery>;
