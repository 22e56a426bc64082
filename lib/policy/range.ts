/** Version ranges, as policies and release rules write them: ">=7", ">=7 <10", "7", "!=8". Pure. */

export type Comparator = { op: ">=" | ">" | "<=" | "<" | "=" | "!="; version: number };

/** Parses a range such as ">=7", ">=7 <10", ">=7, <10", "7" or "!=8"; null when it is not one. */
export function parseRange(text: string): Comparator[] | null {
  const parts = text.trim().split(/[\s,]+/).filter(Boolean);
  if (!parts.length || parts.length > 8) return null;
  const out: Comparator[] = [];
  for (const p of parts) {
    const m = /^(>=|<=|!=|>|<|=|==)?v?(\d{1,9})$/.exec(p);
    if (!m) return null;
    const op = (m[1] === "==" || !m[1] ? "=" : m[1]) as Comparator["op"];
    out.push({ op, version: Number(m[2]) });
  }
  return out;
}

export function satisfies(version: number, range: readonly Comparator[]): boolean {
  return range.every(({ op, version: v }) => {
    switch (op) {
      case ">=":
        return version >= v;
      case ">":
        return version > v;
      case "<=":
        return version <= v;
      case "<":
        return version < v;
      case "=":
        return version === v;
      case "!=":
        return version !== v;
    }
  });
}

export const RANGE_HINT = 'a version range such as ">=7", ">=7 <10", "7" or "!=8"';
