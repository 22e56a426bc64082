/**
 * Audit comments must say something: an approver's "ok", "lgtm!!!" or "yes yes yes yes yes" proves nothing to an
 * auditor later. Pure, so the form and the API give the same answer.
 */
export const MIN_COMMENT_LENGTH = 20;

const wordSegmenter = new Intl.Segmenter("und", { granularity: "word" });

/** Why `text` is not an acceptable comment, or null when it is. */
export function commentProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return "Write a comment: every decision is recorded with its reason";
  if ([...t].length < MIN_COMMENT_LENGTH) return `Write at least ${MIN_COMMENT_LENGTH} characters: say what you checked and why you decided so`;
  if (!/[\p{L}\p{N}]/u.test(t)) return "The comment has no words, only punctuation or symbols";
  // The segmenter splits scripts written without spaces (Japanese, Chinese, Thai) into words, so a real sentence in
  // them is not mistaken for one word repeated.
  const words = [...wordSegmenter.segment(t.toLowerCase())].flatMap((s) => s.segment.match(/[\p{L}\p{N}]+/gu) ?? []);
  if (new Set(words).size === 1) return `The comment only repeats "${words[0]}"; say what you checked and why`;
  return null;
}
