import { invalidParameter } from "./errors";

/**
 * MLflow's search syntax for registered models and model versions (mlflow/utils/search_utils.py), for the subset
 * its model registry supports: one or more comparisons joined by AND, string values in single or double quotes.
 *
 *   name = 'fraud'    name LIKE 'fraud-%'    name ILIKE '%Fraud%'    tags.team = 'payments'
 *   tags.`key with spaces` != 'x'    run_id = 'abc'    run_id IN ('a', 'b')    version_number > 3
 *
 * Pure: the SQL is made from the parsed comparisons by the caller (lib/mlflow/search.ts).
 */

export type SearchKind = "models" | "versions";
export type FilterAttribute = { kind: "name" } | { kind: "run_id" } | { kind: "version_number" } | { kind: "tag"; key: string };
export type FilterOp = "=" | "!=" | "LIKE" | "ILIKE" | "IN" | "<" | "<=" | ">" | ">=";
export type Comparison = { attribute: FilterAttribute; op: FilterOp; value: string | string[] | number };

type Token = { type: "word" | "string" | "op" | "(" | ")" | ","; text: string; at: number };

const OPERATORS = ["!=", "<=", ">=", "=", "<", ">"];

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      // SQL quoting: a doubled quote inside the string stands for one.
      let text = "";
      let j = i + 1;
      for (;;) {
        if (j >= filter.length) throw invalidParameter(`Invalid filter '${filter}': the string starting at character ${i + 1} has no closing ${c}.`);
        if (filter[j] === c && filter[j + 1] === c) {
          text += c;
          j += 2;
        } else if (filter[j] === c) break;
        else text += filter[j++];
      }
      tokens.push({ type: "string", text, at: i });
      i = j + 1;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: c, text: c, at: i });
      i++;
    } else if (OPERATORS.some((op) => filter.startsWith(op, i))) {
      const op = OPERATORS.find((o) => filter.startsWith(o, i))!;
      tokens.push({ type: "op", text: op, at: i });
      i += op.length;
    } else {
      // A word: an attribute (tags.key, tags.`quoted key`, tags."quoted key"), a keyword, or a number.
      let j = i;
      let text = "";
      while (j < filter.length && !/[\s=!<>(),']/.test(filter[j])) {
        const q = filter[j];
        if (q === "`" || (q === '"' && text.endsWith("."))) {
          const end = filter.indexOf(q, j + 1);
          if (end < 0) throw invalidParameter(`Invalid filter '${filter}': the key starting at character ${j + 1} has no closing ${q}.`);
          text += filter.slice(j + 1, end);
          j = end + 1;
        } else {
          text += q;
          j++;
        }
      }
      if (!text) throw invalidParameter(`Invalid filter '${filter}': unexpected '${c}' at character ${i + 1}.`);
      tokens.push({ type: "word", text, at: i });
      i = j;
    }
  }
  return tokens;
}

const ALLOWED: Record<SearchKind, { attributes: string[]; describe: string }> = {
  models: { attributes: ["name", "tag"], describe: "name and tags.<key>" },
  versions: { attributes: ["name", "run_id", "version_number", "tag"], describe: "name, run_id, version_number and tags.<key>" },
};

function attributeOf(word: string, kind: SearchKind, filter: string): FilterAttribute {
  const lower = word.toLowerCase();
  let attribute: FilterAttribute | null = null;
  if (/^tags?\./i.test(word)) {
    const key = word.slice(word.indexOf(".") + 1);
    if (key) attribute = { kind: "tag", key };
  } else if (lower === "name" || lower === "attributes.name") attribute = { kind: "name" };
  else if (lower === "run_id") attribute = { kind: "run_id" };
  else if (lower === "version_number") attribute = { kind: "version_number" };
  if (!attribute || !ALLOWED[kind].attributes.includes(attribute.kind)) {
    throw invalidParameter(`Invalid filter '${filter}': '${word}' cannot be searched here; ${kind === "models" ? "registered models" : "model versions"} are searched by ${ALLOWED[kind].describe}.`);
  }
  return attribute;
}

/** Which operators each attribute takes (as MLflow's registry search does). */
function opsFor(attribute: FilterAttribute): FilterOp[] {
  switch (attribute.kind) {
    case "name":
    case "tag":
      return ["=", "!=", "LIKE", "ILIKE"];
    case "run_id":
      return ["=", "!=", "IN"];
    case "version_number":
      return ["=", "!=", "<", "<=", ">", ">="];
  }
}

function attributeLabel(a: FilterAttribute): string {
  return a.kind === "tag" ? `tags.${a.key}` : a.kind;
}

/** Parses a filter string; an empty or missing filter is no condition. Throws INVALID_PARAMETER_VALUE naming the problem. */
export function parseFilter(filter: string | undefined, kind: SearchKind): Comparison[] {
  if (!filter?.trim()) return [];
  const tokens = tokenize(filter);
  const comparisons: Comparison[] = [];
  let i = 0;
  const expectEnd = (what: string) => invalidParameter(`Invalid filter '${filter}': expected ${what} at the end.`);
  for (;;) {
    const word = tokens[i++];
    if (!word || word.type !== "word") throw invalidParameter(`Invalid filter '${filter}': expected an attribute such as name or tags.<key>${word ? ` at character ${word.at + 1}` : " at the end"}.`);
    const attribute = attributeOf(word.text, kind, filter);
    const opToken = tokens[i++];
    if (!opToken) throw expectEnd("a comparison operator");
    const op = (opToken.type === "op" ? opToken.text : opToken.type === "word" ? opToken.text.toUpperCase() : "") as FilterOp;
    const ops = opsFor(attribute);
    if (!ops.includes(op)) {
      throw invalidParameter(`Invalid filter '${filter}': ${attributeLabel(attribute)} is compared with ${ops.join(", ")}, not '${opToken.text}'.`);
    }
    let value: Comparison["value"];
    if (op === "IN") {
      if (tokens[i++]?.type !== "(") throw invalidParameter(`Invalid filter '${filter}': IN takes a list in parentheses, such as ('a', 'b').`);
      const list: string[] = [];
      for (;;) {
        const item = tokens[i++];
        if (item?.type !== "string") throw invalidParameter(`Invalid filter '${filter}': the IN list holds quoted strings, such as ('a', 'b').`);
        list.push(item.text);
        const sep = tokens[i++];
        if (sep?.type === ")") break;
        if (sep?.type !== ",") throw invalidParameter(`Invalid filter '${filter}': the IN list is not closed with ')'.`);
      }
      value = list;
    } else if (attribute.kind === "version_number") {
      const v = tokens[i++];
      const text = v?.type === "string" || v?.type === "word" ? v.text : "";
      if (!/^\d{1,9}$/.test(text)) throw invalidParameter(`Invalid filter '${filter}': version_number is compared with a whole number.`);
      value = Number(text);
    } else {
      const v = tokens[i++];
      if (v?.type !== "string") throw invalidParameter(`Invalid filter '${filter}': the value for ${attributeLabel(attribute)} must be a string in quotes, such as '${v?.text ?? "value"}'.`);
      value = v.text;
      // PostgreSQL refuses a pattern ending in its escape character; say so rather than fail the query.
      if ((op === "LIKE" || op === "ILIKE") && /(^|[^\\])(\\\\)*\\$/.test(value)) throw invalidParameter(`Invalid filter '${filter}': a LIKE pattern cannot end with an unescaped backslash (write \\\\ for one).`);
    }
    comparisons.push({ attribute, op, value });
    const next = tokens[i++];
    if (!next) return comparisons;
    if (next.type !== "word" || next.text.toUpperCase() !== "AND") {
      throw invalidParameter(`Invalid filter '${filter}': conditions are joined with AND (OR is not supported); found '${next.text}' at character ${next.at + 1}.`);
    }
  }
}

export type OrderKey = "name" | "version_number" | "creation_timestamp" | "last_updated_timestamp";
export type Order = { key: OrderKey; desc: boolean };

const ORDER_KEYS: Record<SearchKind, Record<string, OrderKey>> = {
  models: { name: "name", timestamp: "last_updated_timestamp", last_updated_timestamp: "last_updated_timestamp", creation_timestamp: "creation_timestamp" },
  versions: { name: "name", version_number: "version_number", creation_timestamp: "creation_timestamp", last_updated_timestamp: "last_updated_timestamp", timestamp: "last_updated_timestamp" },
};

/** `order_by` clauses ("name", "last_updated_timestamp DESC"), then MLflow's tie-breaks (name ASC; for versions, version DESC). */
export function parseOrderBy(orderBy: string[], kind: SearchKind): Order[] {
  const keys = ORDER_KEYS[kind];
  const orders = orderBy.map((clause) => {
    const m = /^\s*([A-Za-z_.]+)\s*(ASC|DESC)?\s*$/i.exec(clause);
    const key = m ? keys[m[1].toLowerCase().replace(/^attributes?\./, "")] : undefined;
    if (!m || !key) throw invalidParameter(`Invalid order_by clause '${clause}': order by ${Object.keys(keys).join(", ")}, each optionally followed by ASC or DESC.`);
    return { key, desc: (m[2] ?? "ASC").toUpperCase() === "DESC" };
  });
  const tieBreaks: Order[] = kind === "models" ? [{ key: "name", desc: false }] : [{ key: "name", desc: false }, { key: "version_number", desc: true }];
  for (const t of tieBreaks) if (!orders.some((o) => o.key === t.key)) orders.push(t);
  return orders;
}

/** `next_page_token`: opaque to clients; Gatehouse, like MLflow, encodes the offset of the next page. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // Reported below.
  }
  throw invalidParameter(`Invalid page_token '${token}': pass the next_page_token of the previous page unchanged.`);
}
