// A manager runs a community from /c/<slug>/manage in headless Chromium; a plain member sees no panel there.
//
//   node tests/js/web_manage_admin.mjs '{"origin": "http://127.0.0.1:8000", "slug": "book-club",
//     "manager": "alice", "member": "bob", "password": "...", "labels": {...}, "pending": "Carol",
//     "roleChange": {"name": "Bob", "role": "Moderator"},
//     "badge": {"name": "Meetup speaker", "description": "...", "tier": "Gold", "option": "...",
//               "member": "Bob (@bob)", "reason": "..."},
//     "rule": {"label": "An answer accepted", "value": "25"}}'
//
// As the manager: approves the pending request; creates an invitation (refused with 0 uses, then with 5),
// copies its link; changes a role; checks the page with axe-core; creates a badge and gives it; changes a
// points rule; each step waits for its polite note of success. As the member (a second context): waits
// for the page's refusal and for the page to go quiet, then counts the panels shown and the admin lists
// asked for. Prints one JSON object: {ok, pendingEmptied, invalidField, problem,
// invitationCode, invitationLink, copied, notes, accessibility, overflowX, memberPanels,
// memberAdminRequests, consoleErrors, externalRequests, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const manage = `/c/${options.slug}/manage`;
const browser = await launch(options);

/** Presses `button` and waits for `note` in the polite live region of the section. */
async function confirmedBy(section, button, note, report) {
  await button.click();
  await section.getByText(note, { exact: true }).waitFor({ state: 'visible' });
  report.notes.push(note);
}

await reporting(
  {
    ok: false,
    pendingEmptied: false,
    invalidField: null,
    problem: null,
    invitationCode: null,
    invitationLink: null,
    copied: false,
    notes: [],
    accessibility: null,
    memberPanels: null,
    overflowX: null,
    memberAdminRequests: [],
  },
  async (report) => {
    const page = await openPage(browser, options, report, { permissions: ['clipboard-read', 'clipboard-write'] });
    await logIn(page, options, options.manager, manage);
    const members = page.getByRole('region', { name: labels.members, exact: true });

    const pending = members.getByRole('region', { name: labels.pending, exact: true });
    const name = options.pending;
    await confirmedBy(pending, pending.getByRole('button', { name: `${labels.approve} ${name}` }), labels.approved, report);
    await pending.getByText(labels.noPending, { exact: true }).waitFor({ state: 'visible' });
    report.pendingEmptied = (await pending.getByRole('listitem').count()) === 0;

    const invitations = members.getByRole('region', { name: labels.invitations, exact: true });
    // First a refused number: the API names the field at fault, and the page says why beside it.
    const maxUses = invitations.getByRole('spinbutton', { name: labels.maxUses, exact: true });
    const createInvitation = invitations.getByRole('button', { name: labels.createInvitation, exact: true });
    await maxUses.fill('0');
    await createInvitation.click();
    await invitations.locator('[aria-invalid="true"]').waitFor({ state: 'visible' });
    report.invalidField = await invitations.locator('[aria-invalid="true"]').getAttribute('name');
    const described = (await maxUses.getAttribute('aria-describedby')).split(' ');
    report.problem = await page.locator(`[id="${described.at(-1)}"]`).innerText();
    await maxUses.fill('5');
    await createInvitation.click();
    const created = invitations.getByText(labels.invitationCreated);
    await created.waitFor({ state: 'visible' });
    report.invitationCode = (await created.innerText()).match(/code (\S+)\.$/)[1];
    const code = report.invitationCode;
    const item = invitations.getByRole('listitem').filter({ hasText: code });
    report.invitationLink = await item.getByRole('textbox', { name: `${labels.link} ${code}` }).inputValue();
    await item.getByRole('button', { name: `${labels.copy} ${code}` }).click();
    await invitations.getByText(labels.copied, { exact: true }).waitFor({ state: 'visible' });
    report.copied = (await page.evaluate(() => navigator.clipboard.readText())) === report.invitationLink;

    const roles = members.getByRole('region', { name: labels.roles, exact: true });
    const { name: who, role } = options.roleChange;
    await roles.getByRole('combobox', { name: `${labels.roleOf} ${who}`, exact: true }).selectOption({ label: role });
    await confirmedBy(roles, roles.getByRole('button', { name: `${labels.changeRole} ${who}` }), labels.roleChanged, report);
    report.accessibility = await accessibilityViolations(page);

    const recognition = page.getByRole('region', { name: labels.recognition, exact: true });
    const { badge } = options;
    const newBadge = recognition.getByRole('region', { name: labels.newBadge, exact: true });
    await newBadge.getByRole('textbox', { name: labels.badgeName, exact: true }).fill(badge.name);
    await newBadge.getByRole('textbox', { name: labels.badgeDescription, exact: true }).fill(badge.description);
    await newBadge.getByRole('combobox', { name: labels.tier, exact: true }).selectOption({ label: badge.tier });
    await confirmedBy(newBadge, newBadge.getByRole('button', { name: labels.createBadge }), labels.badgeCreated, report);

    const award = recognition.getByRole('region', { name: labels.award, exact: true });
    await award.getByRole('combobox', { name: labels.awardBadge, exact: true }).selectOption({ label: badge.option });
    await award.getByRole('combobox', { name: labels.awardMember, exact: true }).selectOption({ label: badge.member });
    await award.getByRole('textbox', { name: labels.reason, exact: true }).fill(badge.reason);
    await confirmedBy(award, award.getByRole('button', { name: labels.giveBadge }), labels.badgeGiven, report);

    const rules = recognition.getByRole('region', { name: labels.rules, exact: true });
    await rules.getByRole('spinbutton', { name: options.rule.label, exact: true }).fill(options.rule.value);
    await confirmedBy(rules, rules.getByRole('button', { name: labels.saveRules }), labels.rulesSaved, report);

    await page.setViewportSize({ width: 390, height: 844 });
    report.overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

    // The member is refused the page: no panel, and no request for the managers' lists.
    const memberPage = await openPage(browser, options, report);
    memberPage.on('request', (request) => {
      const body = request.postData() ?? '';
      if (/query Admin(Members|Invitations|Recognition)\b/.test(body)) report.memberAdminRequests.push(body.slice(0, 40));
    });
    await logIn(memberPage, options, options.member, manage);
    await memberPage.getByText(labels.refused, { exact: true }).waitFor({ state: 'visible' });
    await memberPage.waitForLoadState('networkidle');
    report.memberPanels = await memberPage
      .getByRole('region')
      .filter({ has: memberPage.getByRole('heading', { name: new RegExp(`^(${labels.members}|${labels.recognition})$`) }) })
      .count();
  },
);
await browser.close();
