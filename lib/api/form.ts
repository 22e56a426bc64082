/** FormData as a plain object for zod: empty strings become undefined so optional fields stay optional. */
export function formObject(form: FormData): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") out[key] = value.trim() === "" ? undefined : value;
  }
  return out;
}
