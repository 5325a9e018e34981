/** A small history router for the app's stable routes (issue 13): a path pattern per page. */
import type { AnchorHTMLAttributes, ComponentChildren, FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

export type RouteParams = Record<string, string>;
export type Route = { pattern: string; page: FunctionComponent<RouteParams> };

export function navigate(to: string): void {
  history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
}

function match(pattern: string, path: string): RouteParams | null {
  const wanted = pattern.split("/");
  const given = path.replace(/\/+$/, "").split("/");
  if (pattern === "/") return path === "/" ? {} : null;
  if (wanted.length !== given.length) return null;
  const params: RouteParams = {};
  for (const [index, part] of wanted.entries()) {
    const value = given[index] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const follow = () => setPath(location.pathname);
    addEventListener("popstate", follow);
    return () => removeEventListener("popstate", follow);
  }, []);
  return path;
}

/** Shows the first route matching the address; `fallback` when none does. */
export function Router({ routes, fallback }: { routes: Route[]; fallback: FunctionComponent }) {
  const path = usePath();
  useEffect(() => {
    // A new page: start at its top and tell screen readers, as a full page load would.
    scrollTo(0, 0);
    document.getElementById("main")?.focus();
  }, [path]);
  for (const { pattern, page: Page } of routes) {
    const params = match(pattern, path);
    if (params) return <Page key={path} {...params} />;
  }
  const Fallback = fallback;
  return <Fallback />;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children: ComponentChildren };

/** An ordinary link that the app follows without reloading (a modified click opens a tab as usual). */
export function Link({ href, children, ...rest }: LinkProps) {
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={follow} {...rest}>
      {children}
    </a>
  );
}
