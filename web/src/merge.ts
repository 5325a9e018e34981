/** Lists that grow live: each item once, in the list's order, whatever a replay sends again. */
export type Dated = { id: string; publishedAt?: string | null; createdAt: string };

function shownAt(item: Dated): number {
  return Date.parse(item.publishedAt ?? item.createdAt);
}

export const newestFirst = (a: Dated, b: Dated): number => shownAt(b) - shownAt(a);
export const oldestFirst = (a: Dated, b: Dated): number => shownAt(a) - shownAt(b);

/** `current` with `incoming` merged in by id (the newer copy wins), sorted by `order`. */
export function mergeById<Item extends Dated>(
  current: readonly Item[],
  incoming: readonly Item[],
  order: (a: Item, b: Item) => number,
): Item[] {
  const byId = new Map(current.map((item) => [item.id, item]));
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()].sort(order);
}
