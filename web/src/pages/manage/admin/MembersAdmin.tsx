/** Managers' panel: pending memberships to decide, invitations, roles and bans (issue 13). */
import { useState } from "preact/hooks";

import { request } from "../../../api/client";
import { useQuery } from "../../../api/useQuery";
import { Status } from "../../../components/Status";
import { graphql } from "../../../gql";
import type { AdminMembershipFragment, Role } from "../../../gql/graphql";
import { useI18n } from "../../../i18n";
import { useSession } from "../../../session";
import { Confirm } from "./Confirm";
import { useAction } from "./forms";
import { Invitations } from "./Invitations";

graphql(`
  fragment AdminMembership on Membership {
    id
    role
    joinedAt
    member {
      username
      displayName
    }
  }
`);

// The first 100 of each list: a community's managers decide and moderate from here, not browse.
const MEMBERS = graphql(`
  query AdminMembers($slug: String!) {
    community(slug: $slug) {
      id
      pending: members(first: 100, status: PENDING) {
        totalCount
        edges {
          node {
            ...AdminMembership
          }
        }
      }
      active: members(first: 100) {
        totalCount
        edges {
          node {
            ...AdminMembership
          }
        }
      }
      banned: members(first: 100, status: BANNED) {
        totalCount
        edges {
          node {
            ...AdminMembership
          }
        }
      }
    }
  }
`);

const DECIDE = graphql(`
  mutation AdminDecideMembership($membershipId: ID!, $approve: Boolean!) {
    decideMembership(membershipId: $membershipId, approve: $approve) {
      id
      status
    }
  }
`);

const SET_ROLE = graphql(`
  mutation AdminSetRole($slug: String!, $username: String!, $role: Role!) {
    setRole(communitySlug: $slug, username: $username, role: $role) {
      id
      role
    }
  }
`);

const BAN = graphql(`
  mutation AdminBan($slug: String!, $username: String!) {
    banMember(communitySlug: $slug, username: $username) {
      id
      status
    }
  }
`);

const UNBAN = graphql(`
  mutation AdminUnban($slug: String!, $username: String!) {
    unbanMember(communitySlug: $slug, username: $username) {
      id
      status
    }
  }
`);

const ROLES: Role[] = ["OWNER", "MANAGER", "MODERATOR", "MEMBER"];

type Membership = AdminMembershipFragment;
type Refresh = () => Promise<void>;

/** For managers only: ManagePage shows it to them alone (and the API refuses anyone else). */
export function MembersAdmin({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(MEMBERS, { slug });
  const community = data?.community;
  const nodes = (list?: { edges: { node: Membership }[] }) => list?.edges.map(({ node }) => node) ?? [];
  return (
    <section aria-labelledby="admin-members" class="card admin">
      <h2 id="admin-members">{t("admin.members.title")}</h2>
      {/* Kept on screen while a change is read back, so focus and the notes of success stay. */}
      <Status loading={loading && !data} error={error}>
        <PendingRequests requests={nodes(community?.pending)} refresh={refetch} />
        <Invitations slug={slug} />
        <Roster slug={slug} members={nodes(community?.active)} refresh={refetch} />
        <Banned slug={slug} members={nodes(community?.banned)} refresh={refetch} />
      </Status>
    </section>
  );
}

function Person({ membership }: { membership: Membership }) {
  return (
    <span class="admin-person">
      {membership.member.displayName} <span class="muted">@{membership.member.username}</span>
    </span>
  );
}

function PendingRequests({ requests, refresh }: { requests: Membership[]; refresh: Refresh }) {
  const { t, date } = useI18n();
  const action = useAction("admin-pending", ["membershipId"]);
  const [declining, setDeclining] = useState<string>();

  const decide = (membership: Membership, approve: boolean) =>
    action.run(async () => {
      setDeclining(undefined);
      await request(DECIDE, { membershipId: membership.id, approve });
      await refresh();
      const name = membership.member.displayName;
      return approve ? t("admin.pending.approved", { name }) : t("admin.pending.declined", { name });
    }, membership.id);

  return (
    <section aria-labelledby="admin-pending">
      <h3 id="admin-pending">{t("admin.pending.title")}</h3>
      {requests.length === 0 && <p class="muted">{t("admin.pending.none")}</p>}
      <ul class="admin-list">
        {requests.map((membership) => (
          <li key={membership.id}>
            <Person membership={membership} />
            <span class="muted">{t("admin.pending.asked", { date: date(membership.joinedAt) })}</span>
            {declining === membership.id ? (
              <Confirm
                question={t("admin.pending.confirmDecline", { name: membership.member.displayName })}
                confirm={t("admin.pending.decline")}
                onConfirm={() => void decide(membership, false)}
                onCancel={() => setDeclining(undefined)}
              />
            ) : (
              <span class="admin-actions">
                <button type="button" disabled={action.sending} onClick={() => void decide(membership, true)}>
                  {t("admin.pending.approve")}
                  <span class="visually-hidden"> {membership.member.displayName}</span>
                </button>
                <button type="button" class="admin-secondary" onClick={() => setDeclining(membership.id)}>
                  {t("admin.pending.decline")}
                  <span class="visually-hidden"> {membership.member.displayName}</span>
                </button>
              </span>
            )}
            {action.says("membershipId", membership.id)}
          </li>
        ))}
      </ul>
      {action.says("")}
      {action.note()}
    </section>
  );
}

function Roster({ slug, members, refresh }: { slug: string; members: Membership[]; refresh: Refresh }) {
  const { t } = useI18n();
  const { viewer } = useSession();
  const action = useAction("admin-roles", ["username", "role"]);
  const [banning, setBanning] = useState<string>();

  const changeRole = (membership: Membership) => (event: SubmitEvent) => {
    event.preventDefault();
    const role = new FormData(event.currentTarget as HTMLFormElement).get("role") as Role;
    const { username, displayName } = membership.member;
    void action.run(async () => {
      await request(SET_ROLE, { slug, username, role });
      await refresh();
      return t("admin.roles.changed", { name: displayName, role: t(`admin.role.${role}`) });
    }, username);
  };
  const ban = ({ member: { username, displayName } }: Membership) =>
    action.run(async () => {
      setBanning(undefined);
      await request(BAN, { slug, username });
      await refresh();
      return t("admin.bans.banned", { name: displayName });
    }, username);

  return (
    <section aria-labelledby="admin-roles">
      <h3 id="admin-roles">{t("admin.roles.title")}</h3>
      <p class="muted">{t("admin.roles.hint")}</p>
      <ul class="admin-list">
        {members.map((membership) => {
          const { username, displayName } = membership.member;
          const field = action.input("role", { target: username });
          return (
            <li key={membership.id}>
              <Person membership={membership} />
              <form class="admin-inline" onSubmit={changeRole(membership)}>
                <label for={field.id} class="visually-hidden">
                  {t("admin.roles.roleOf", { name: displayName })}
                </label>
                <select {...field}>
                  {ROLES.map((role) => (
                    <option key={role} value={role} selected={role === membership.role}>
                      {t(`admin.role.${role}`)}
                    </option>
                  ))}
                </select>
                <button type="submit" disabled={action.sending}>
                  {t("admin.roles.change")}
                  <span class="visually-hidden"> {displayName}</span>
                </button>
              </form>
              {username !== viewer?.username &&
                (banning === username ? (
                  <Confirm
                    question={t("admin.bans.confirm", { name: displayName })}
                    confirm={t("admin.bans.ban")}
                    onConfirm={() => void ban(membership)}
                    onCancel={() => setBanning(undefined)}
                  />
                ) : (
                  <button type="button" class="admin-danger" onClick={() => setBanning(username)}>
                    {t("admin.bans.ban")}
                    <span class="visually-hidden"> {displayName}</span>
                  </button>
                ))}
              {action.says("role", username)}
              {action.says("username", username)}
            </li>
          );
        })}
      </ul>
      {action.says("")}
      {action.note()}
    </section>
  );
}

function Banned({ slug, members, refresh }: { slug: string; members: Membership[]; refresh: Refresh }) {
  const { t } = useI18n();
  const action = useAction("admin-banned", ["username"]);
  const unban = ({ member: { username, displayName } }: Membership) =>
    action.run(async () => {
      await request(UNBAN, { slug, username });
      await refresh();
      return t("admin.bans.unbanned", { name: displayName });
    }, username);

  return (
    <section aria-labelledby="admin-banned">
      <h3 id="admin-banned">{t("admin.bans.title")}</h3>
      {members.length === 0 && <p class="muted">{t("admin.bans.none")}</p>}
      <ul class="admin-list">
        {members.map((membership) => (
          <li key={membership.id}>
            <Person membership={membership} />
            <button type="button" disabled={action.sending} onClick={() => void unban(membership)}>
              {t("admin.bans.unban")}
              <span class="visually-hidden"> {membership.member.displayName}</span>
            </button>
            {action.says("username", membership.member.username)}
          </li>
        ))}
      </ul>
      {action.says("")}
      {action.note()}
    </section>
  );
}
