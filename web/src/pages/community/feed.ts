/** The feed's order, kept free of the page so it reads (and is tested) alone. */
export type Dated = { id: string; publishedAt?: string | null; createdAt: string };

function shownAt(post: Dated): number {
  return Date.parse(post.publishedAt ?? post.createdAt);
}

/**
 * The feed with `incoming` merged in: each post once (a newer copy replaces the older, so a
 * replay after a reconnect shows nothing twice), newest first.
 */
export function mergePosts<Post extends Dated>(current: readonly Post[], incoming: readonly Post[]): Post[] {
  const byId = new Map(current.map((post) => [post.id, post]));
  for (const post of incoming) byId.set(post.id, post);
  return [...byId.values()].sort((a, b) => shownAt(b) - shownAt(a));
}
