/** The interface language: from the browser's languages, switchable, remembered on this device. */
import { type ComponentChildren, createContext } from "preact";
import { useContext, useLayoutEffect, useMemo, useState } from "preact/hooks";

import { en, type MessageKey } from "./en";
import { fr } from "./fr";

const CATALOGUES = { en, fr } satisfies Record<string, Record<MessageKey, string>>;
export type Locale = keyof typeof CATALOGUES;
export const LOCALES: { code: Locale; name: string }[] = [
  { code: "en", name: "English" },
  { code: "fr", name: "Français" },
];
const STORAGE_KEY = "cercle.locale";

/** Keys with plural forms, named without their `_one` / `_other` ending. */
type PluralKey = MessageKey extends infer Key ? (Key extends `${infer Base}_one` ? Base : never) : never;
type Values = Record<string, string | number>;

export type I18n = {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, values?: Values) => string;
  plural: (key: PluralKey, count: number) => string;
  date: (iso: string) => string;
  number: (value: number) => string;
};

function isLocale(code: string | null): code is Locale {
  return code !== null && code in CATALOGUES;
}

function chosenLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  const spoken = navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase()).find(isLocale);
  return spoken ?? "en";
}

function translator(locale: Locale): I18n["t"] {
  const catalogue = CATALOGUES[locale];
  return (key, values = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

function i18nFor(locale: Locale, setLocale: (locale: Locale) => void): I18n {
  const t = translator(locale);
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const rules = new Intl.PluralRules(locale);
  const number = (value: number) => numbers.format(value);
  return {
    locale,
    setLocale,
    t,
    number,
    date: (iso) => dates.format(new Date(iso)),
    plural: (key, count) => {
      const form = `${key}_${rules.select(count)}`;
      const known = (form in CATALOGUES[locale] ? form : `${key}_other`) as MessageKey;
      return t(known, { count: number(count) });
    },
  };
}

const I18nContext = createContext<I18n>(i18nFor("en", () => undefined));

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocale] = useState<Locale>(chosenLocale);
  // Before the browser paints (and before assistive technology reads the new text), not after.
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const i18n = useMemo(
    () =>
      i18nFor(locale, (next) => {
        localStorage.setItem(STORAGE_KEY, next);
        setLocale(next);
      }),
    [locale],
  );
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
