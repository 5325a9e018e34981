import { Header } from "./components/Header";
import { Toasts } from "./components/Toasts";
import { I18nProvider } from "./i18n";
import { CommunityPage } from "./pages/community/CommunityPage";
import { HomePage } from "./pages/home/HomePage";
import { LoginPage } from "./pages/login/LoginPage";
import { EventPage } from "./pages/events/EventPage";
import { EventsPage } from "./pages/events/EventsPage";
import { ManagePage } from "./pages/manage/ManagePage";
import { NotificationsPage } from "./pages/notifications/NotificationsPage";
import { NotFoundPage } from "./pages/pending/PendingPage";
import { ProfilePage } from "./pages/profile/ProfilePage";
import { BadgesPage } from "./pages/recognition/BadgesPage";
import { LeaderboardPage } from "./pages/recognition/LeaderboardPage";
import { TasksPage } from "./pages/tasks/TasksPage";
import { PostPage } from "./pages/post/PostPage";
import { RegisterPage } from "./pages/register/RegisterPage";
import { lazyPage } from "./lazyPage";
import { type Route, Router } from "./router";
import { SessionProvider } from "./session";

// The account pages are rarely opened: each comes in its own chunk, out of the community page's budget.
const SettingsPage = lazyPage(() => import("./pages/account/SettingsPage").then((module) => module.SettingsPage));
const ForgotPasswordPage = lazyPage(() =>
  import("./pages/account/ForgotPasswordPage").then((module) => module.ForgotPasswordPage),
);
const ResetPasswordPage = lazyPage(() =>
  import("./pages/account/ResetPasswordPage").then((module) => module.ResetPasswordPage),
);
const VerifyEmailPage = lazyPage(() => import("./pages/account/VerifyEmailPage").then((module) => module.VerifyEmailPage));
const UnsubscribePage = lazyPage(() => import("./pages/account/UnsubscribePage").then((module) => module.UnsubscribePage));

// The stable routes of issue 13: emails, digests and the acceptance checks link to them.
const ROUTES: Route[] = [
  { pattern: "/", page: HomePage },
  { pattern: "/login", page: LoginPage },
  { pattern: "/register", page: RegisterPage },
  { pattern: "/c/:slug", page: ({ slug }) => <CommunityPage slug={slug ?? ""} /> },
  { pattern: "/c/:slug/leaderboard", page: ({ slug }) => <LeaderboardPage slug={slug ?? ""} /> },
  { pattern: "/c/:slug/badges", page: ({ slug }) => <BadgesPage slug={slug ?? ""} /> },
  { pattern: "/c/:slug/events", page: ({ slug }) => <EventsPage slug={slug ?? ""} /> },
  { pattern: "/c/:slug/tasks", page: ({ slug }) => <TasksPage slug={slug ?? ""} /> },
  { pattern: "/c/:slug/manage", page: ({ slug }) => <ManagePage slug={slug ?? ""} /> },
  { pattern: "/posts/:id", page: ({ id }) => <PostPage id={id ?? ""} /> },
  { pattern: "/events/:id", page: ({ id }) => <EventPage id={id ?? ""} /> },
  { pattern: "/members/:username", page: ({ username }) => <ProfilePage username={username ?? ""} /> },
  { pattern: "/notifications", page: NotificationsPage },
  // Issue 14: the account's life cycle; emails link to the last four.
  { pattern: "/settings", page: SettingsPage },
  { pattern: "/forgot-password", page: ForgotPasswordPage },
  { pattern: "/reset-password", page: ResetPasswordPage },
  { pattern: "/verify-email", page: VerifyEmailPage },
  { pattern: "/unsubscribe", page: UnsubscribePage },
];

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Header />
        <main id="main" tabIndex={-1}>
          <Router routes={ROUTES} fallback={NotFoundPage} />
        </main>
        <Toasts />
      </SessionProvider>
    </I18nProvider>
  );
}
