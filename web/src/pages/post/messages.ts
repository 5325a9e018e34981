/** The post page's new messages (the older "post.*" ones live in i18n/en.ts and fr.ts). */
export const en = {
  "post.comment": "Your comment",
  "post.replyTo": "Your reply to {name}",
  "post.send": "Send",
  "post.reply": "Reply",
  "post.cancel": "Cancel",
  "post.react": "React",
  "post.accept": "Accept this answer",
  "post.delete": "Delete",
  "post.deletePost": "Delete this post",
  "post.confirmDelete": "Delete it for good",
  "post.kudos": "Thank {name}",
  "post.kudosMessage": "Your thanks",
  "post.kudosSend": "Send kudos",
  "post.kudosSent": "Your kudos were sent to {name}.",
} as const;

export const fr: Record<keyof typeof en, string> = {
  "post.comment": "Votre commentaire",
  "post.replyTo": "Votre réponse à {name}",
  "post.send": "Envoyer",
  "post.reply": "Répondre",
  "post.cancel": "Annuler",
  "post.react": "Réagir",
  "post.accept": "Accepter cette réponse",
  "post.delete": "Supprimer",
  "post.deletePost": "Supprimer ce post",
  "post.confirmDelete": "Supprimer définitivement",
  "post.kudos": "Remercier {name}",
  "post.kudosMessage": "Votre remerciement",
  "post.kudosSend": "Envoyer des kudos",
  "post.kudosSent": "Vos kudos ont été envoyés à {name}.",
};
