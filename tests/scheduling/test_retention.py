"""The scheduler deletes what has served its purpose: ended sessions, spent links, settled email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.email import EmailStatus, OutgoingEmail
from models.members import AccountToken, Session
from models.scheduling import JobRun
from resolvers.members import sessions
from resolvers.scheduling.retention import prune_accounts, prune_job_runs, prune_sent_email
from tests.factories import Persona, make_member

ME = "{ me { username } }"


async def test_ended_sessions_are_deleted_and_stay_refused(gql, owner_alice: Persona):
    # given carol's session, ended by logging out two days ago, and alice's current one
    revoked = await make_member("carol")
    assert await gql.data("mutation { logout }", token=revoked.token) == {"logout": True}
    await Session.filter(member_id=revoked.member.id).update(revoked_at=datetime.now(UTC) - timedelta(days=2))
    # when the scheduler prunes
    assert await prune_accounts() >= 1
    # then the ended session is gone, and its token still refused by a process that never saw it end (a fresh
    # one, as after a restart); alice's session lives on
    assert not await Session.filter(member_id=revoked.member.id).exists()
    sessions._checks.clear()
    assert (await gql.data(ME, token=revoked.token)) == {"me": None}
    assert (await gql.data(ME, token=owner_alice.token)) == {"me": {"username": "alice"}}


async def test_spent_and_expired_links_are_deleted_after_a_day(owner_alice: Persona):
    # given alice's welcome link (live), and two more: one spent two days ago, one expired two days ago
    long_ago = datetime.now(UTC) - timedelta(days=2)
    [live] = await AccountToken.filter(member_id=owner_alice.member.id)
    for n, stale in enumerate(({"used_at": long_ago}, {"expires_at": long_ago})):
        await AccountToken.create(
            member_id=owner_alice.member.id,
            purpose=live.purpose,
            digest=f"{n:064d}",
            email=live.email,
            expires_at=stale.get("expires_at", live.expires_at),
            used_at=stale.get("used_at"),
        )
    # when
    await prune_accounts()
    # then only the live one is left
    assert [row.id for row in await AccountToken.filter(member_id=owner_alice.member.id)] == [live.id]


async def test_settled_email_is_deleted_after_the_retention_and_queued_email_never(owner_alice: Persona):
    # given alice's welcome email sent 40 days ago, one failed 40 days ago, and one still queued from then
    old = datetime.now(UTC) - timedelta(days=40)
    [welcome] = await OutgoingEmail.filter(member_id=owner_alice.member.id)
    await OutgoingEmail.filter(id=welcome.id).update(status=EmailStatus.SENT, created_at=old)
    failed, waiting = [
        await OutgoingEmail.create(
            member_id=owner_alice.member.id,
            to_address="alice@example.org",
            template="verify_email",
            params={},
            status=status,
            next_attempt_at=old,
        )
        for status in (EmailStatus.FAILED, EmailStatus.QUEUED)
    ]
    await OutgoingEmail.filter(id__in=[failed.id, waiting.id]).update(created_at=old)
    # when
    assert await prune_sent_email() == 2
    # then what is still to send stays
    assert [row.id for row in await OutgoingEmail.filter(member_id=owner_alice.member.id)] == [waiting.id]


async def test_claims_older_than_any_job_looks_back_are_deleted():
    # given a summary claimed 40 days ago and one claimed this week
    old = await JobRun.create(job="email-summary", slot="2026-W40:1")
    await JobRun.filter(id=old.id).update(claimed_at=datetime.now(UTC) - timedelta(days=40))
    recent = await JobRun.create(job="email-summary", slot="2026-W48:1")
    # when
    assert await prune_job_runs() == 1
    # then this week's claim still keeps its slot from being taken again
    assert [row.id for row in await JobRun.all()] == [recent.id]
