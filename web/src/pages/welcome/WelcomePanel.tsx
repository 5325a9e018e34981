/** On a community's home: the newcomer's own welcome, and newcomers arriving for members to greet (issue 13). */
export function WelcomePanel(_: { slug: string }) {
  return null;
}
