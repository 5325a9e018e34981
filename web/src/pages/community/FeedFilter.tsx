import { useEffect, useState } from "preact/hooks";

import type { PostKind } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link, navigate } from "../../router";

export type Filter = { tag: string | null; kind: PostKind | null };

const KINDS: PostKind[] = ["DISCUSSION", "QUESTION", "ANNOUNCEMENT", "INTRODUCTION", "DIGEST"];

function filterInAddress(): Filter {
  const search = new URLSearchParams(location.search);
  const kind = search.get("kind") as PostKind | null;
  return { tag: search.get("tag") || null, kind: kind && KINDS.includes(kind) ? kind : null };
}

/** The feed's filter, kept in the address (?tag=…&kind=…) so that it can be linked. */
export function useFeedFilter(): Filter {
  const [filter, setFilter] = useState(filterInAddress);
  useEffect(() => {
    const follow = () => setFilter(filterInAddress());
    addEventListener("popstate", follow);
    return () => removeEventListener("popstate", follow);
  }, []);
  return filter;
}

export function filterHref(slug: string, { tag, kind }: Filter): string {
  const search = new URLSearchParams();
  if (tag) search.set("tag", tag);
  if (kind) search.set("kind", kind);
  const query = search.toString();
  return `/c/${slug}` + (query ? `?${query}` : "");
}

/** Whether a post that arrives live belongs in the filtered feed. */
export function matches({ tag, kind }: Filter, post: { tags: string[]; kind: PostKind }): boolean {
  return (!tag || post.tags.includes(tag)) && (!kind || post.kind === kind);
}

export function FeedFilter({ slug, filter, tags }: { slug: string; filter: Filter; tags: string[] }) {
  const { t } = useI18n();
  const choices = [...new Set([...tags, ...(filter.tag ? [filter.tag] : [])])].sort();
  const change = (changed: Partial<Filter>) => navigate(filterHref(slug, { ...filter, ...changed }));
  return (
    <div class="feed-filter">
      <div class="field">
        <label for="filter-kind">{t("feed.byKind")}</label>
        <select
          id="filter-kind"
          value={filter.kind ?? ""}
          onChange={(event) => change({ kind: (event.currentTarget.value || null) as PostKind | null })}
        >
          <option value="">{t("feed.allKinds")}</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`kind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-tag">{t("feed.byTag")}</label>
        <select
          id="filter-tag"
          value={filter.tag ?? ""}
          onChange={(event) => change({ tag: event.currentTarget.value || null })}
        >
          <option value="">{t("feed.allTags")}</option>
          {choices.map((tag) => (
            <option key={tag} value={tag}>
              #{tag}
            </option>
          ))}
        </select>
      </div>
      {(filter.tag || filter.kind) && <Link href={`/c/${slug}`}>{t("feed.clear")}</Link>}
    </div>
  );
}
