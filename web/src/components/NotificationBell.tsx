/** The header's bell: the viewer's live unread count, linking to /notifications (issue 13). */
export function NotificationBell() {
  return null;
}
