import { useState } from "preact/hooks";

import { useQuery } from "../../../api/useQuery";
import { Status } from "../../../components/Status";
import { graphql } from "../../../gql";
import type { AdminInvitationsQuery } from "../../../gql/graphql";
import { useI18n } from "../../../i18n";
import { RequestError, request } from "../../../api/client";
import { Confirm } from "./Confirm";
import { useAction } from "./forms";

const INVITATIONS = graphql(`
  query AdminInvitations($slug: String!) {
    community(slug: $slug) {
      id
      invitations {
        id
        code
        maxUses
        uses
        expiresAt
        email
      }
    }
  }
`);

const CREATE = graphql(`
  mutation AdminCreateInvitation($slug: String!, $maxUses: Int, $expiresInHours: Int) {
    createInvitation(communitySlug: $slug, maxUses: $maxUses, expiresInHours: $expiresInHours) {
      id
      code
    }
  }
`);

const INVITE_BY_EMAIL = graphql(`
  mutation AdminInviteByEmail($slug: String!, $emails: [String!]!) {
    inviteByEmail(communitySlug: $slug, emails: $emails) {
      id
    }
  }
`);

const REVOKE = graphql(`
  mutation AdminRevokeInvitation($invitationId: ID!) {
    revokeInvitation(invitationId: $invitationId)
  }
`);

type Invitation = NonNullable<AdminInvitationsQuery["community"]>["invitations"][number];

/** The address the community's join panel fills the code in from. */
function linkOf(slug: string, code: string): string {
  return `${location.origin}/c/${encodeURIComponent(slug)}?invite=${encodeURIComponent(code)}`;
}

/** A whole number typed in an optional field; null when left empty (the API's "no limit"). */
function optionalNumber(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? "").trim();
  return text === "" ? null : Number(text);
}

/** The addresses typed, one per line or separated by commas or spaces. */
function addressesIn(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}

/** Invitations sent by email (inviteByEmail): each address gets its own code in its message. */
function InviteByEmail({ slug, onSent }: { slug: string; onSent: () => Promise<void> }) {
  const { t, plural } = useI18n();
  const inviting = useAction("admin-invite-email", ["emails"]);
  const send = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const emails = addressesIn(String(new FormData(form).get("emails") ?? ""));
    void inviting.run(async () => {
      if (emails.length === 0) {
        throw new RequestError([{ message: t("admin.invitations.noEmails"), extensions: { field: "emails" } }]);
      }
      const { inviteByEmail } = await request(INVITE_BY_EMAIL, { slug, emails });
      form.reset();
      await onSent();
      return plural("admin.invitations.sent", inviteByEmail.length);
    });
  };
  const emails = inviting.input("emails", { hint: "admin-invite-email-hint" });
  return (
    <form onSubmit={send} noValidate aria-labelledby="admin-invite-email-title">
      <h4 id="admin-invite-email-title">{t("admin.invitations.byEmail")}</h4>
      <div class="field">
        <label for={emails.id}>{t("admin.invitations.emails")}</label>
        <textarea {...emails} rows={3} autocomplete="off" />
        <small id="admin-invite-email-hint">{t("admin.invitations.emailsHint")}</small>
        {inviting.says("emails")}
      </div>
      {inviting.says("")}
      <button type="submit" disabled={inviting.sending}>
        {t("admin.invitations.send")}
      </button>
      {inviting.note()}
    </form>
  );
}

export function Invitations({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(INVITATIONS, { slug });
  const creating = useAction("admin-invite", ["maxUses", "expiresInHours"]);
  const listing = useAction("admin-invitations", ["invitationId"]);
  const [revoking, setRevoking] = useState<string>();

  const create = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    void creating.run(async () => {
      const { createInvitation } = await request(CREATE, {
        slug,
        maxUses: optionalNumber(fields.get("maxUses")),
        expiresInHours: optionalNumber(fields.get("expiresInHours")),
      });
      form.reset();
      await refetch();
      return t("admin.invitations.created", { code: createInvitation.code });
    });
  };
  const revoke = (invitation: Invitation) =>
    listing.run(async () => {
      setRevoking(undefined);
      await request(REVOKE, { invitationId: invitation.id });
      await refetch();
      return t("admin.invitations.revoked", { code: invitation.code });
    }, invitation.id);
  const copy = (invitation: Invitation) =>
    listing.run(async () => {
      await navigator.clipboard.writeText(linkOf(slug, invitation.code));
      return t("admin.invitations.copied");
    }, invitation.id);

  const maxUses = creating.input("maxUses", { hint: "admin-invite-maxUses-hint" });
  const expires = creating.input("expiresInHours", { hint: "admin-invite-expiresInHours-hint" });
  return (
    <section aria-labelledby="admin-invitations">
      <h3 id="admin-invitations">{t("admin.invitations.title")}</h3>
      <form onSubmit={create} noValidate>
        <div class="field">
          <label for={maxUses.id}>{t("admin.invitations.maxUses")}</label>
          <input {...maxUses} type="number" min={1} max={10000} inputMode="numeric" />
          <small id="admin-invite-maxUses-hint">{t("admin.invitations.maxUsesHint")}</small>
          {creating.says("maxUses")}
        </div>
        <div class="field">
          <label for={expires.id}>{t("admin.invitations.expiresInHours")}</label>
          <input {...expires} type="number" min={1} max={8760} inputMode="numeric" />
          <small id="admin-invite-expiresInHours-hint">{t("admin.invitations.expiresInHoursHint")}</small>
          {creating.says("expiresInHours")}
        </div>
        {creating.says("")}
        <button type="submit" disabled={creating.sending}>
          {t("admin.invitations.create")}
        </button>
        {creating.note()}
      </form>
      <InviteByEmail slug={slug} onSent={refetch} />
      <Status loading={loading && !data} error={error}>
        <InvitationList
          slug={slug}
          invitations={data?.community?.invitations ?? []}
          revoking={revoking}
          setRevoking={setRevoking}
          onCopy={copy}
          onRevoke={revoke}
          action={listing}
        />
      </Status>
    </section>
  );
}

type ListProps = {
  slug: string;
  invitations: Invitation[];
  revoking: string | undefined;
  setRevoking: (id: string | undefined) => void;
  onCopy: (invitation: Invitation) => Promise<void>;
  onRevoke: (invitation: Invitation) => Promise<void>;
  action: ReturnType<typeof useAction>;
};

function InvitationList({ slug, invitations, revoking, setRevoking, onCopy, onRevoke, action }: ListProps) {
  const { t, date, number } = useI18n();
  if (invitations.length === 0) return <p class="muted">{t("admin.invitations.none")}</p>;
  return (
    <>
      <ul class="admin-list" aria-label={t("admin.invitations.list")}>
        {invitations.map((invitation) => {
          const link = action.input("link", { target: invitation.id });
          return (
            <li key={invitation.id}>
              <p>
                {t("admin.invitations.code")} <code>{invitation.code}</code>
              </p>
              <div class="field">
                <label for={link.id}>
                  {t("admin.invitations.link")}
                  <span class="visually-hidden"> {invitation.code}</span>
                </label>
                <input id={link.id} readOnly value={linkOf(slug, invitation.code)} />
              </div>
              <p class="muted">
                {invitation.maxUses === null || invitation.maxUses === undefined
                  ? t("admin.invitations.usesUnlimited", { uses: number(invitation.uses) })
                  : t("admin.invitations.uses", { uses: number(invitation.uses), max: number(invitation.maxUses) })}
                {" · "}
                {invitation.expiresAt
                  ? t("admin.invitations.expires", { date: date(invitation.expiresAt) })
                  : t("admin.invitations.neverExpires")}
                {invitation.email && ` · ${t("admin.invitations.sentTo", { email: invitation.email })}`}
              </p>
              {revoking === invitation.id ? (
                <Confirm
                  question={t("admin.invitations.confirmRevoke", { code: invitation.code })}
                  confirm={t("admin.invitations.revoke")}
                  onConfirm={() => void onRevoke(invitation)}
                  onCancel={() => setRevoking(undefined)}
                />
              ) : (
                <span class="admin-actions">
                  <button type="button" onClick={() => void onCopy(invitation)}>
                    {t("admin.invitations.copy")}
                    <span class="visually-hidden"> {invitation.code}</span>
                  </button>
                  <button type="button" class="admin-danger" onClick={() => setRevoking(invitation.id)}>
                    {t("admin.invitations.revoke")}
                    <span class="visually-hidden"> {invitation.code}</span>
                  </button>
                </span>
              )}
              {action.says("invitationId", invitation.id)}
              {action.says("", invitation.id)}
            </li>
          );
        })}
      </ul>
      {action.note()}
    </>
  );
}
