import type { MessageKey } from "./en";
import { fr as notifications } from "../pages/notifications/messages";
import { fr as recognition } from "../pages/recognition/messages";
import { fr as events } from "../pages/events/messages";
import { fr as tasks } from "../pages/tasks/messages";
import { fr as manage } from "../pages/manage/messages";
import { fr as manageAdmin } from "../pages/manage/admin/messages";
import { fr as welcome } from "../pages/welcome/messages";
import { fr as profile } from "../pages/profile/messages";
import { fr as post } from "../pages/post/messages";
import { fr as account } from "../pages/account/messages";

/** Le catalogue français: tsc refuse une clé manquante ou inconnue. */
export const fr: Record<MessageKey, string> = {
  ...notifications,
  ...recognition,
  ...events,
  ...tasks,
  ...manage,
  ...manageAdmin,
  ...welcome,
  ...profile,
  ...post,
  ...account,

  "app.name": "Cercle",
  "app.skipToContent": "Aller au contenu",
  "app.loading": "Chargement…",
  "app.error": "Une erreur s'est produite : {message}",
  "app.notFound": "Page introuvable.",
  "app.comingSoon": "Cette page n'est pas encore construite.",
  "app.backHome": "Retour aux communautés",

  "header.primary": "Principal",
  "header.language": "Langue",
  "header.login": "Se connecter",
  "header.register": "S'inscrire",
  "header.logout": "Se déconnecter",
  "header.signedInAs": "Connecté en tant que {name}",

  "login.title": "Connexion",
  "login.login": "Nom d'utilisateur ou e-mail",
  "login.password": "Mot de passe",
  "login.submit": "Se connecter",
  "login.failed": "Nom d'utilisateur, e-mail ou mot de passe incorrect.",
  "login.noAccount": "Nouveau ici ?",
  "login.registerLink": "Créer un compte",

  "register.title": "Créer votre compte",
  "register.username": "Nom d'utilisateur",
  "register.usernameHint": "De 3 à 30 caractères : a à z, 0 à 9, _ et -.",
  "register.email": "E-mail",
  "register.password": "Mot de passe",
  "register.passwordHint": "Au moins 10 caractères.",
  "register.displayName": "Nom affiché",
  "register.displayNameHint": "Facultatif ; sinon votre nom d'utilisateur.",
  "register.skills": "Compétences",
  "register.skillsHint": "Séparées par des virgules, par exemple : python, design. Elles aident les membres à vous accueillir.",
  "register.experience": "Expérience",
  "register.experienceHint": "Ce que vous avez fait et ce sur quoi vous aimez travailler.",
  "register.submit": "Créer le compte",
  "register.haveAccount": "Déjà membre ?",

  "home.title": "Communautés",
  "home.search": "Rechercher des communautés",
  "home.empty": "Aucune communauté ne correspond.",
  "home.members_one": "{count} membre",
  "home.members_other": "{count} membres",
  "home.yours": "Vos communautés",
  "home.pending": "en attente d’approbation",

  "community.notFound": "Cette communauté n'existe pas, ou vous est cachée.",
  "community.sections": "Pages de la communauté",
  "community.feed": "Publications",
  "community.leaderboard": "Classement",
  "community.badges": "Badges",
  "community.events": "Événements",
  "community.tasks": "Tâches",
  "community.manage": "Gérer",
  "community.pinned": "Épinglé",
  "community.empty": "Rien n'a encore été publié.",
  "community.loadMore": "Voir les publications plus anciennes",
  "community.newPost_one": "{count} nouvelle publication",
  "community.newPost_other": "{count} nouvelles publications",

  "kind.DISCUSSION": "Discussion",
  "kind.QUESTION": "Question",
  "kind.ANNOUNCEMENT": "Annonce",
  "kind.INTRODUCTION": "Présentation",
  "kind.DIGEST": "Résumé",

  "reaction.LIKE": "J'aime",
  "reaction.INSIGHTFUL": "Éclairant",
  "reaction.THANKS": "Merci",
  "reaction.CELEBRATE": "Bravo",
  "reaction.summary": "Réactions",

  "post.by": "par",
  "post.tags": "Étiquettes",
  "post.notFound": "Cette publication n'existe pas, ou vous est cachée.",
  "post.comments_one": "{count} commentaire",
  "post.comments_other": "{count} commentaires",
  "post.noComments": "Aucun commentaire pour l'instant.",
  "post.accepted": "Réponse acceptée",
  "post.inCommunity": "Dans {name}",

  "composer.title": "Écrire un message",
  "composer.postTitle": "Titre",
  "composer.body": "Texte",
  "composer.bodyHint": "Markdown : **gras**, _italique_, `code`, [liens](https://example.org), listes et tableaux.",
  "composer.preview": "Aperçu",
  "composer.previewEmpty": "L'aperçu s'affiche ici pendant que vous écrivez.",
  "composer.kind": "Type",
  "composer.tags": "Étiquettes",
  "composer.tagsHint": "Séparées par des virgules, 10 au plus.",
  "composer.publishAt": "Publier plus tard (facultatif)",
  "composer.publishAtHint": "Laissez vide pour publier maintenant.",
  "composer.submit": "Publier",
  "composer.published": "Publié.",
  "composer.scheduled": "Programmé : vous seul le voyez jusque-là.",

  "join.title": "Rejoindre cette communauté",
  "join.join": "Rejoindre",
  "join.ask": "Demander à rejoindre",
  "join.withCode": "Rejoindre avec ce code",
  "join.code": "Code d'invitation",
  "join.codeNeeded": "On rejoint cette communauté sur invitation.",
  "join.codeOptional": "Facultatif : avec un code vous entrez tout de suite, sans code un responsable valide votre demande.",
  "join.pending": "Votre demande d'adhésion attend la validation d'un responsable.",
  "join.banned": "Vous ne pouvez plus participer à cette communauté.",
  "join.logInFirst": "Connectez-vous pour rejoindre cette communauté",
};
