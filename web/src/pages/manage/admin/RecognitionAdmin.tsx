/** Managers' panel: points rules, custom badges and manual awards (issue 13). */
export function RecognitionAdmin(_: { slug: string }) {
  return null;
}
