import { en as notifications } from "../pages/notifications/messages";
import { en as recognition } from "../pages/recognition/messages";
import { en as events } from "../pages/events/messages";
import { en as tasks } from "../pages/tasks/messages";
import { en as manage } from "../pages/manage/messages";
import { en as manageAdmin } from "../pages/manage/admin/messages";
import { en as welcome } from "../pages/welcome/messages";
import { en as profile } from "../pages/profile/messages";
import { en as post } from "../pages/post/messages";
import { en as account } from "../pages/account/messages";

/** The English catalogue: the reference every other language must translate key for key. */
const core = {
  "app.name": "Cercle",
  "app.skipToContent": "Skip to content",
  "app.loading": "Loading…",
  "app.error": "Something went wrong: {message}",
  "app.notFound": "Page not found.",
  "app.comingSoon": "This page is not built yet.",
  "app.backHome": "Back to the communities",

  "header.primary": "Main",
  "header.language": "Language",
  "header.login": "Log in",
  "header.register": "Sign up",
  "header.logout": "Log out",
  "header.signedInAs": "Signed in as {name}",

  "login.title": "Log in",
  "login.login": "Username or email",
  "login.password": "Password",
  "login.submit": "Log in",
  "login.failed": "Wrong username, email or password.",
  "login.noAccount": "New here?",
  "login.registerLink": "Create an account",

  "register.title": "Create your account",
  "register.username": "Username",
  "register.usernameHint": "3 to 30 characters: a to z, 0 to 9, _ and -.",
  "register.email": "Email",
  "register.password": "Password",
  "register.passwordHint": "At least 10 characters.",
  "register.displayName": "Display name",
  "register.displayNameHint": "Optional; your username otherwise.",
  "register.skills": "Skills",
  "register.skillsHint": "Separated by commas, for example: python, design. They help members welcome you.",
  "register.experience": "Experience",
  "register.experienceHint": "What you have done and what you like to work on.",
  "register.submit": "Create account",
  "register.haveAccount": "Already a member?",

  "home.title": "Communities",
  "home.search": "Search communities",
  "home.empty": "No community matches.",
  "home.members_one": "{count} member",
  "home.members_other": "{count} members",
  "home.yours": "Your communities",
  "home.pending": "waiting for approval",

  "community.notFound": "This community does not exist, or is hidden from you.",
  "community.sections": "Community pages",
  "community.feed": "Posts",
  "community.leaderboard": "Leaderboard",
  "community.badges": "Badges",
  "community.events": "Events",
  "community.tasks": "Tasks",
  "community.manage": "Manage",
  "community.pinned": "Pinned",
  "community.empty": "Nothing posted yet.",
  "community.loadMore": "Show older posts",
  "community.newPost_one": "{count} new post",
  "community.newPost_other": "{count} new posts",

  "kind.DISCUSSION": "Discussion",
  "kind.QUESTION": "Question",
  "kind.ANNOUNCEMENT": "Announcement",
  "kind.INTRODUCTION": "Introduction",
  "kind.DIGEST": "Digest",

  "reaction.LIKE": "Like",
  "reaction.INSIGHTFUL": "Insightful",
  "reaction.THANKS": "Thanks",
  "reaction.CELEBRATE": "Celebrate",
  "reaction.summary": "Reactions",

  "post.by": "by",
  "post.tags": "Tags",
  "post.notFound": "This post does not exist, or is hidden from you.",
  "post.comments_one": "{count} comment",
  "post.comments_other": "{count} comments",
  "post.noComments": "No comment yet.",
  "post.accepted": "Accepted answer",
  "post.inCommunity": "In {name}",

  "composer.title": "Write a post",
  "composer.postTitle": "Title",
  "composer.body": "Body",
  "composer.bodyHint": "Markdown: **bold**, _italics_, `code`, [links](https://example.org), lists and tables.",
  "composer.preview": "Preview",
  "composer.previewEmpty": "The preview shows here as you write.",
  "composer.kind": "Kind",
  "composer.tags": "Tags",
  "composer.tagsHint": "Separated by commas, up to 10.",
  "composer.publishAt": "Publish later (optional)",
  "composer.publishAtHint": "Leave empty to publish now.",
  "composer.submit": "Publish",
  "composer.published": "Published.",
  "composer.scheduled": "Scheduled: only you see it until then.",

  "join.title": "Join this community",
  "join.join": "Join",
  "join.ask": "Ask to join",
  "join.withCode": "Join with this code",
  "join.code": "Invitation code",
  "join.codeNeeded": "This community is joined by invitation.",
  "join.codeOptional": "Optional: with a code you join at once, without one a manager approves your request.",
  "join.pending": "Your request to join is waiting for a manager's approval.",
  "join.banned": "You can no longer take part in this community.",
  "join.logInFirst": "Log in to join this community",
} as const;

// Each area of the app keeps its messages beside its pages.
export const en = {
  ...core,
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
};

export type MessageKey = keyof typeof en;
