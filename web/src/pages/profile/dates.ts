/** A day without its time: when someone joined or earned a badge is a date, not a moment. */
export function dayOf(locale: string, iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(iso));
}
