/** Figures as the dashboard writes them, in the reader's locale. */
import type { Locale } from "../../i18n";

export function percent(locale: Locale, share: number, signed = false): string {
  return new Intl.NumberFormat(locale, {
    style: "percent",
    maximumFractionDigits: 0,
    signDisplay: signed ? "exceptZero" : "auto",
  }).format(share);
}

/** A report's UTC day ("2026-11-29") as the reader writes a short date. */
export function day(locale: Locale, date: string): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** A day on uPlot's time axis, which counts seconds, as the reader writes it. */
export function dayAt(locale: Locale, seconds: number): string {
  return day(locale, new Date(seconds * 1000).toISOString().slice(0, 10));
}

/** uPlot's time axis counts seconds. */
export function unixSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}
