import { Header } from "./components/Header";
import { I18nProvider } from "./i18n";
import { CommunityPage } from "./pages/community/CommunityPage";
import { HomePage } from "./pages/home/HomePage";
import { LoginPage } from "./pages/login/LoginPage";
import { NotFoundPage, PendingPage } from "./pages/pending/PendingPage";
import { PostPage } from "./pages/post/PostPage";
import { RegisterPage } from "./pages/register/RegisterPage";
import { type Route, type RouteParams, Router } from "./router";
import { SessionProvider } from "./session";

const communitySection = (section: string) => ({ slug }: RouteParams) => (
  <PendingPage slug={slug ?? ""} section={`/${section}`} />
);

// The stable routes of issue 13: emails, digests and the acceptance checks link to them.
const ROUTES: Route[] = [
  { pattern: "/", page: HomePage },
  { pattern: "/login", page: LoginPage },
  { pattern: "/register", page: RegisterPage },
  { pattern: "/c/:slug", page: ({ slug }) => <CommunityPage slug={slug ?? ""} /> },
  ...["leaderboard", "badges", "events", "tasks", "manage"].map((section) => ({
    pattern: `/c/:slug/${section}`,
    page: communitySection(section),
  })),
  { pattern: "/posts/:id", page: ({ id }) => <PostPage id={id ?? ""} /> },
  { pattern: "/events/:id", page: () => <PendingPage /> },
  { pattern: "/members/:username", page: () => <PendingPage /> },
  { pattern: "/notifications", page: () => <PendingPage /> },
];

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Header />
        <main id="main" tabIndex={-1}>
          <Router routes={ROUTES} fallback={NotFoundPage} />
        </main>
      </SessionProvider>
    </I18nProvider>
  );
}
