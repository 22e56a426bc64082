import { z } from "zod";
import { ZReason } from "@/lib/text";

/** An admin's connection of a model to an MLflow registry (API, form and OpenAPI). */
export const ZSaveConnectorInput = z.object({
  trackingUri: z
    .url({ protocol: /^https?$/, error: "The MLflow tracking URI: an http(s) URL such as https://mlflow.example.com" })
    .max(2_000, "Use at most 2000 characters")
    // The format check above does not stop these from running: each parses defensively.
    .refine((u) => !URL.canParse(u) || (!new URL(u).search && !new URL(u).hash), "The tracking URI has no query string or fragment")
    .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), "Put credentials in the token, not the URL")
    .describe("The MLflow server's base URL, as MLFLOW_TRACKING_URI"),
  mlflowName: z
    .string()
    .trim()
    .min(1, "Name the registered model in MLflow")
    .max(256, "Use at most 256 characters")
    .refine((n) => !(n.includes("'") && n.includes('"')), "MLflow's search cannot name a model with both ' and \" in its name")
    .optional()
    .describe("The registered model's name in MLflow (default: the Gatehouse model's name)"),
  token: z
    .string()
    .max(4_000, "Use at most 4000 characters")
    .nullable()
    .optional()
    .describe("The MLflow token sent as Bearer; left out: keep the stored one; null or empty: none"),
  intervalMinutes: z.coerce
    .number({ error: "Import every how many minutes?" })
    .int("A whole number of minutes")
    .min(1, "At least every minute")
    .max(1_440, "At least once a day (1440 minutes)")
    .default(15),
  enabled: z.boolean({ error: "enabled is true or false" }).default(true),
  reason: ZReason,
});
export type TSaveConnectorInput = z.input<typeof ZSaveConnectorInput>;
