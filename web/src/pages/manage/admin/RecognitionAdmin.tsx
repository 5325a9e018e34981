/** Managers' panel: points rules, custom badges and manual awards (issue 13). */
import { RequestError, request } from "../../../api/client";
import { useQuery } from "../../../api/useQuery";
import { Status } from "../../../components/Status";
import { graphql } from "../../../gql";
import type { AdminRecognitionQuery, BadgeTier } from "../../../gql/graphql";
import { useI18n } from "../../../i18n";
import { useSession } from "../../../session";
import type { MessageKey } from "../../../i18n/en";
import { useAction } from "./forms";
import { en as messages } from "./messages";

const RECOGNITION = graphql(`
  query AdminRecognition($slug: String!) {
    community(slug: $slug) {
      id
      pointsRules {
        key
        value
        defaultValue
      }
      badges {
        id
        name
        description
        tier
        automatic
        holderCount
      }
      members(first: 100) {
        edges {
          node {
            id
            member {
              username
              displayName
            }
          }
        }
      }
    }
  }
`);

const SET_RULE = graphql(`
  mutation AdminSetPointsRule($slug: String!, $key: String!, $value: Int!) {
    setPointsRule(communitySlug: $slug, key: $key, value: $value) {
      key
      value
    }
  }
`);

const CREATE_BADGE = graphql(`
  mutation AdminCreateBadge($input: CreateBadgeInput!) {
    createBadge(input: $input) {
      id
      name
    }
  }
`);

const AWARD_BADGE = graphql(`
  mutation AdminAwardBadge($input: AwardBadgeInput!) {
    awardBadge(input: $input) {
      id
      badge {
        name
      }
      member {
        displayName
      }
    }
  }
`);

const TIERS: BadgeTier[] = ["BRONZE", "SILVER", "GOLD"];

type Community = NonNullable<AdminRecognitionQuery["community"]>;
type Refresh = () => Promise<void>;

/** For managers only: ManagePage shows it to them alone (and the API refuses anyone else). */
export function RecognitionAdmin({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(RECOGNITION, { slug });
  const community = data?.community;
  return (
    <section aria-labelledby="admin-recognition" class="card admin">
      <h2 id="admin-recognition">{t("admin.recognition.title")}</h2>
      <Status loading={loading && !data} error={error}>
        {community && (
          <>
            <PointsRules slug={slug} rules={community.pointsRules} refresh={refetch} />
            <NewBadge slug={slug} refresh={refetch} />
            <Award community={community} refresh={refetch} />
          </>
        )}
      </Status>
    </section>
  );
}

function PointsRules({ slug, rules, refresh }: { slug: string; rules: Community["pointsRules"]; refresh: Refresh }) {
  const { t, number } = useI18n();
  const keys = rules.map((rule) => rule.key);
  const action = useAction("admin-rule", keys);
  const ruleName = (key: string) => {
    const message = `admin.rule.${key}`;
    return message in messages ? t(message as MessageKey) : key; // a rule newer than this app: its key
  };

  // One mutation per changed rule; the first refusal stops there and shows beside its rule.
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    void action.run(async () => {
      const changed = rules.filter((rule) => {
        const typed = String(fields.get(rule.key) ?? "").trim();
        return typed !== "" && Number(typed) !== rule.value;
      });
      try {
        for (const rule of changed) {
          try {
            await request(SET_RULE, { slug, key: rule.key, value: Number(fields.get(rule.key)) });
          } catch (caught) {
            // `extensions.field` names the argument ("value"): the rule at fault is the one being saved.
            if (!(caught instanceof RequestError)) throw caught;
            throw new RequestError([{ message: caught.message, extensions: { code: caught.code, field: rule.key } }]);
          }
        }
      } finally {
        await refresh();
      }
      return changed.length ? t("admin.rules.saved") : t("admin.rules.unchanged");
    });
  };

  return (
    <section aria-labelledby="admin-rules">
      <h3 id="admin-rules">{t("admin.rules.title")}</h3>
      <p class="muted">{t("admin.rules.hint")}</p>
      <form onSubmit={save} noValidate class="admin-rules">
        {rules.map((rule) => {
          const hint = `admin-rule-${rule.key}-hint`;
          const field = action.input(rule.key, { hint });
          return (
            <div class="field" key={rule.key}>
              <label for={field.id}>{ruleName(rule.key)}</label>
              <input {...field} type="number" min={0} inputMode="numeric" defaultValue={String(rule.value)} />
              <small id={hint}>{t("admin.rules.default", { value: number(rule.defaultValue) })}</small>
              {action.says(rule.key)}
            </div>
          );
        })}
        {action.says("")}
        <button type="submit" disabled={action.sending}>
          {t("admin.rules.save")}
        </button>
        {action.note()}
      </form>
    </section>
  );
}

function NewBadge({ slug, refresh }: { slug: string; refresh: Refresh }) {
  const { t } = useI18n();
  const action = useAction("admin-badge", ["name", "description", "tier"]);
  const create = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    void action.run(async () => {
      const { createBadge } = await request(CREATE_BADGE, {
        input: {
          communitySlug: slug,
          name: String(fields.get("name")),
          description: String(fields.get("description")),
          tier: String(fields.get("tier")) as BadgeTier,
        },
      });
      form.reset();
      await refresh();
      return t("admin.badges.created", { name: createBadge.name });
    });
  };
  const name = action.input("name");
  const description = action.input("description");
  const tier = action.input("tier");
  return (
    <section aria-labelledby="admin-badges">
      <h3 id="admin-badges">{t("admin.badges.title")}</h3>
      <form onSubmit={create} noValidate>
        <div class="field">
          <label for={name.id}>{t("admin.badges.name")}</label>
          <input {...name} required maxLength={80} />
          {action.says("name")}
        </div>
        <div class="field">
          <label for={description.id}>{t("admin.badges.description")}</label>
          <textarea {...description} rows={2} required maxLength={500} />
          {action.says("description")}
        </div>
        <div class="field">
          <label for={tier.id}>{t("admin.badges.tier")}</label>
          <select {...tier}>
            {TIERS.map((value) => (
              <option key={value} value={value}>
                {t(`admin.tier.${value}`)}
              </option>
            ))}
          </select>
          {action.says("tier")}
        </div>
        {action.says("")}
        <button type="submit" disabled={action.sending}>
          {t("admin.badges.create")}
        </button>
        {action.note()}
      </form>
    </section>
  );
}

function Award({ community, refresh }: { community: Community; refresh: Refresh }) {
  const { t, plural } = useI18n();
  const { viewer } = useSession();
  const action = useAction("admin-award", ["badgeId", "username", "reason"]);
  const custom = community.badges.filter((badge) => !badge.automatic);
  // Nobody rewards themselves: the API refuses it, so the viewer is not offered.
  const others = community.members.edges.filter(({ node }) => node.member.username !== viewer?.username);
  const award = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    void action.run(async () => {
      const { awardBadge } = await request(AWARD_BADGE, {
        input: {
          badgeId: String(fields.get("badgeId")),
          username: String(fields.get("username")),
          reason: String(fields.get("reason")),
        },
      });
      form.reset();
      await refresh();
      return t("admin.award.done", { badge: awardBadge.badge.name, name: awardBadge.member.displayName });
    });
  };
  const badge = action.input("badgeId");
  const member = action.input("username");
  const reason = action.input("reason", { hint: "admin-award-reason-hint" });
  return (
    <section aria-labelledby="admin-award">
      <h3 id="admin-award">{t("admin.award.title")}</h3>
      {custom.length === 0 ? (
        <p class="muted">{t("admin.award.noBadge")}</p>
      ) : (
        <form onSubmit={award} noValidate>
          <div class="field">
            <label for={badge.id}>{t("admin.award.badge")}</label>
            <select {...badge}>
              {custom.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name} ({t(`admin.tier.${option.tier}`)}, {plural("admin.award.holders", option.holderCount)})
                </option>
              ))}
            </select>
            {action.says("badgeId")}
          </div>
          <div class="field">
            <label for={member.id}>{t("admin.award.member")}</label>
            <select {...member}>
              {others.map(({ node }) => (
                <option key={node.id} value={node.member.username}>
                  {node.member.displayName} (@{node.member.username})
                </option>
              ))}
            </select>
            {action.says("username")}
          </div>
          <div class="field">
            <label for={reason.id}>{t("admin.award.reason")}</label>
            <input {...reason} required maxLength={200} />
            <small id="admin-award-reason-hint">{t("admin.award.reasonHint")}</small>
            {action.says("reason")}
          </div>
          {action.says("")}
          <button type="submit" disabled={action.sending}>
            {t("admin.award.submit")}
          </button>
        </form>
      )}
      {action.note()}
    </section>
  );
}
