import { useState } from "preact/hooks";

import { RequestError, request } from "../../api/client";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";

const UPDATE_PROFILE = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id
    }
  }
`);

export type Profile = { displayName: string; bio?: string | null; skills: string[]; experience?: string | null };

type Problems = Record<string, string>; // by the input's field name; "" for the form as a whole
const FIELDS = ["displayName", "bio", "skills", "experience"]; // as updateProfile names them in `extensions.field`

type FieldProps = {
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  value: string;
  problem: string | undefined;
  multiline?: boolean;
};

/** A labelled input, with its hint and the server's objection to it read out as its description. */
function Field({ name, label, hint, value, problem, multiline }: FieldProps) {
  const { t } = useI18n();
  const id = `profile-${name}`;
  const described = [hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(" ") || undefined;
  const input = { id, name, defaultValue: value, "aria-invalid": !!problem, "aria-describedby": described };
  return (
    <div class="field">
      <label for={id}>{t(label)}</label>
      {multiline ? <textarea rows={4} {...input} /> : <input {...input} />}
      {hint && <small id={`${id}-hint`}>{t(hint)}</small>}
      {problem && (
        <p id={`${id}-problem`} class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The viewer's own profile, editable; `onSaved` reads it again. */
export function ProfileForm({ profile, onSaved }: { profile: Profile; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Problems>({});
  const [saved, setSaved] = useState(false);
  const [sending, setSending] = useState(false);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(fields.get(name) ?? "");
    setSending(true);
    setSaved(false);
    try {
      await request(UPDATE_PROFILE, {
        input: {
          displayName: text("displayName"),
          bio: text("bio"),
          skills: text("skills")
            .split(",")
            .map((skill) => skill.trim())
            .filter(Boolean),
          experience: text("experience"),
        },
      });
      setProblems({});
      await onSaved();
      setSaved(true);
    } catch (caught) {
      const error = caught instanceof RequestError ? caught : new RequestError([{ message: String(caught) }]);
      setProblems({ [FIELDS.includes(error.field ?? "") ? (error.field as string) : ""]: error.message });
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="profile-edit" class="card">
      <h2 id="profile-edit">{t("profile.edit")}</h2>
      <form onSubmit={save} noValidate>
        <Field name="displayName" label="profile.displayName" value={profile.displayName} problem={problems.displayName} />
        <Field name="bio" label="profile.bio" value={profile.bio ?? ""} problem={problems.bio} multiline />
        <Field
          name="skills"
          label="profile.skills"
          hint="profile.skillsHint"
          value={profile.skills.join(", ")}
          problem={problems.skills}
        />
        <Field
          name="experience"
          label="profile.experience"
          value={profile.experience ?? ""}
          problem={problems.experience}
          multiline
        />
        {problems[""] && (
          <p class="problem" role="alert">
            {problems[""]}
          </p>
        )}
        <button type="submit" disabled={sending}>
          {t("profile.save")}
        </button>
        <p aria-live="polite">{saved && t("profile.saved")}</p>
      </form>
    </section>
  );
}
