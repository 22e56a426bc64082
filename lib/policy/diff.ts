/**
 * A line diff between two policy texts, for the review-before-saving step and the history view. Pure: the longest
 * common subsequence of lines (policies are at most a few thousand lines; beyond MAX_CELLS the middle is shown as
 * removed and re-added rather than spending the time).
 */
export type DiffLine = { kind: "same" | "added" | "removed"; text: string; oldLine: number | null; newLine: number | null };

const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Trim the common head and tail first: most edits touch a few lines.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: "same", text: a[i], oldLine: i + 1, newLine: i + 1 });
  out.push(...middle(midA, midB, head));
  for (let i = 0; i < tail; i++) {
    const ai = a.length - tail + i;
    const bi = b.length - tail + i;
    out.push({ kind: "same", text: a[ai], oldLine: ai + 1, newLine: bi + 1 });
  }
  return out;
}

function middle(a: string[], b: string[], offset: number): DiffLine[] {
  const out: DiffLine[] = [];
  if (a.length * b.length > MAX_CELLS) {
    a.forEach((text, i) => out.push({ kind: "removed", text, oldLine: offset + i + 1, newLine: null }));
    b.forEach((text, j) => out.push({ kind: "added", text, oldLine: null, newLine: offset + j + 1 }));
    return out;
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  }
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i], oldLine: offset + i + 1, newLine: offset + j + 1 });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
      // Removed lines before the added ones that replace them, as diffs are usually read.
      out.push({ kind: "removed", text: a[i], oldLine: offset + i + 1, newLine: null });
      i++;
    } else {
      out.push({ kind: "added", text: b[j], oldLine: null, newLine: offset + j + 1 });
      j++;
    }
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.kind === "added").length, removed: lines.filter((l) => l.kind === "removed").length };
}
