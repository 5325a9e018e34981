import { useEffect, useRef } from "preact/hooks";

import { useI18n } from "../../../i18n";

type Props = { question: string; confirm: string; onConfirm: () => void; onCancel: () => void };

/** The second step of a destructive action: the question, then confirm (focused) or cancel. */
export function Confirm({ question, confirm, onConfirm, onCancel }: Props) {
  const { t } = useI18n();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div class="admin-confirm" role="group" aria-label={question}>
      <p>{question}</p>
      <button ref={first} type="button" class="admin-danger" onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" class="admin-secondary" onClick={onCancel}>
        {t("admin.cancel")}
      </button>
    </div>
  );
}
