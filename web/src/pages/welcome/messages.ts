/** The welcome pages' messages, in every language the app speaks (tsc checks both have every key). */
export const en = {
  "welcome.title": "Welcome, {name}!",
  "welcome.introduced": "Cercle introduced you to the members from your profile: they can greet you under your introduction.",
  "welcome.readIntroduction": "Read your introduction",
  "welcome.firstSteps": "Your first steps",
  "welcome.noSteps": "Look around the posts below and say hello.",
  "welcome.dismiss": "Hide this welcome",
  "welcome.action.ANSWER_QUESTION": "Answer a question",
  "welcome.action.VOLUNTEER_FOR_TASK": "Lend a hand",
  "welcome.action.JOIN_DISCUSSION": "Join a discussion",
  "welcome.action.ATTEND_EVENT": "Come to an event",
  "welcome.action.COMPLETE_PROFILE": "Complete your profile",
  "welcome.action.OTHER": "Suggested",
  "welcome.arrivals": "New members",
  "welcome.arrived": "{name} just joined.",
  "welcome.greet": "Say hello to {name}",
  "welcome.announce": "{name} just joined: say hello!",
} as const;

export const fr: Record<keyof typeof en, string> = {
  "welcome.title": "Bienvenue, {name} !",
  "welcome.introduced":
    "Cercle vous a présenté aux membres à partir de votre profil : ils peuvent vous saluer sous votre présentation.",
  "welcome.readIntroduction": "Lire votre présentation",
  "welcome.firstSteps": "Vos premiers pas",
  "welcome.noSteps": "Parcourez les publications ci-dessous et dites bonjour.",
  "welcome.dismiss": "Masquer ce message de bienvenue",
  "welcome.action.ANSWER_QUESTION": "Répondre à une question",
  "welcome.action.VOLUNTEER_FOR_TASK": "Donner un coup de main",
  "welcome.action.JOIN_DISCUSSION": "Participer à une discussion",
  "welcome.action.ATTEND_EVENT": "Venir à un événement",
  "welcome.action.COMPLETE_PROFILE": "Compléter votre profil",
  "welcome.action.OTHER": "Suggestion",
  "welcome.arrivals": "Nouveaux membres",
  "welcome.arrived": "{name} vient d’arriver.",
  "welcome.greet": "Saluer {name}",
  "welcome.announce": "{name} vient d’arriver : dites bonjour !",
};
