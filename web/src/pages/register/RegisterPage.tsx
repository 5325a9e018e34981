import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { resetLive } from "../../api/live";
import { graphql } from "../../gql";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n";
import { Link, navigate } from "../../router";
import { useSession } from "../../session";

const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      member {
        id
      }
    }
  }
`);

type FieldProps = { name: string; label: MessageKey; hint?: MessageKey; multiline?: boolean } & Record<string, unknown>;

/** A labelled input with its hint read out as its description. */
function Field({ name, label, hint, multiline, ...input }: FieldProps) {
  const { t } = useI18n();
  const hintId = hint && `${name}-hint`;
  const described = hintId ? { "aria-describedby": hintId } : {};
  return (
    <div class="field">
      <label for={name}>{t(label)}</label>
      {multiline ? (
        <textarea id={name} name={name} rows={4} {...described} {...input} />
      ) : (
        <input id={name} name={name} {...described} {...input} />
      )}
      {hint && (
        <small id={hintId} class="muted">
          {t(hint)}
        </small>
      )}
    </div>
  );
}

function optional(value: FormDataEntryValue | null): string | null {
  const text = String(value ?? "").trim();
  return text === "" ? null : text;
}

export function RegisterPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [problem, setProblem] = useState<string>();

  const register = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const skills = String(form.get("skills") ?? "")
      .split(",")
      .map((skill) => skill.trim())
      .filter(Boolean);
    try {
      await request(REGISTER, {
        input: {
          username: String(form.get("username")),
          email: String(form.get("email")),
          password: String(form.get("password")),
          displayName: optional(form.get("displayName")),
          skills,
          experience: optional(form.get("experience")),
        },
      });
    } catch (caught) {
      setProblem((caught as Error).message);
      return;
    }
    resetLive();
    await refresh();
    navigate("/");
  };

  return (
    <section class="narrow">
      <h1>{t("register.title")}</h1>
      <form onSubmit={register}>
        <Field name="username" label="register.username" hint="register.usernameHint" autocomplete="username" required />
        <Field name="email" label="register.email" type="email" autocomplete="email" required />
        <Field
          name="password"
          label="register.password"
          hint="register.passwordHint"
          type="password"
          autocomplete="new-password"
          minLength={10}
          required
        />
        <Field name="displayName" label="register.displayName" hint="register.displayNameHint" autocomplete="name" />
        <Field name="skills" label="register.skills" hint="register.skillsHint" />
        <Field name="experience" label="register.experience" hint="register.experienceHint" multiline />
        {problem && <p role="alert">{t("app.error", { message: problem })}</p>}
        <button type="submit">{t("register.submit")}</button>
      </form>
      <p>
        {t("register.haveAccount")} <Link href="/login">{t("header.login")}</Link>
      </p>
    </section>
  );
}
