import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { graphql } from "../../gql";
import type { ReactionKind } from "../../gql/graphql";
import { useI18n } from "../../i18n";

const REACT = graphql(`
  mutation React($targetId: ID!, $reaction: ReactionKind!) {
    react(targetId: $targetId, reaction: $reaction) {
      counts {
        kind
        count
      }
      viewerReactions
    }
  }
`);

const UNREACT = graphql(`
  mutation Unreact($targetId: ID!, $reaction: ReactionKind!) {
    unreact(targetId: $targetId, reaction: $reaction) {
      counts {
        kind
        count
      }
      viewerReactions
    }
  }
`);

const KINDS: ReactionKind[] = ["LIKE", "INSIGHTFUL", "THANKS", "CELEBRATE"];

export type ReactionState = { counts: { kind: ReactionKind; count: number }[]; viewerReactions: ReactionKind[] };

/** A toggle per kind of reaction, pressed for those the viewer gave, with the counts the server answers. */
export function ReactionButtons({ targetId, reactions }: { targetId: string; reactions: ReactionState }) {
  const { t, number } = useI18n();
  const [summary, setSummary] = useState(reactions);
  const [problem, setProblem] = useState<string>();

  const toggle = async (kind: ReactionKind, given: boolean) => {
    try {
      const variables = { targetId, reaction: kind };
      setSummary(given ? (await request(UNREACT, variables)).unreact : (await request(REACT, variables)).react);
      setProblem(undefined);
    } catch (caught) {
      setProblem(String(caught instanceof Error ? caught.message : caught));
    }
  };

  return (
    <div class="reaction-buttons" role="group" aria-label={t("post.react")}>
      {KINDS.map((kind) => {
        const given = summary.viewerReactions.includes(kind);
        const count = summary.counts.find((counted) => counted.kind === kind)?.count ?? 0;
        return (
          <button key={kind} type="button" class="secondary" aria-pressed={given} onClick={() => toggle(kind, given)}>
            {t(`reaction.${kind}`)} <strong>{number(count)}</strong>
          </button>
        );
      })}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
