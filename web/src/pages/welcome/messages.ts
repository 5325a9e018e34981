/** The welcome pages' messages, in every language the app speaks (tsc checks both have every key). */
export const en = {} as const;

export const fr: Record<keyof typeof en, string> = {};
