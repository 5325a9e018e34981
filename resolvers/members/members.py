"""Registration, login and profiles."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from models.members import Member, MemberSkill
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, Unauthenticated
from resolvers.members.account_emails import queue_verification
from resolvers.members.sessions import device_of, open_session
from resolvers.outbox import writing
from resolvers.ratelimit import check_login_attempt, check_rate, forget_login_failures
from resolvers.security import hash_password, verify_password
from resolvers.validation import (
    EMAIL_RE,
    USERNAME_RE,
    check_length,
    check_line,
    normalise_labels,
    optional_text,
    username_for_lookup,
)

MAX_SKILLS = 20
MAX_BIO = 2000
MAX_EXPERIENCE = 2000
MAX_DISPLAY_NAME = 80
MIN_PASSWORD, MAX_PASSWORD = 10, 128


@dataclass
class ProfileInput:
    display_name: str | None = None
    bio: str | None = None
    skills: list[str] | None = None
    experience: str | None = None


@dataclass
class Registration(ProfileInput):
    username: str = ""
    email: str = ""
    password: str = ""


def check_registration(data: Registration) -> Registration:
    username = data.username.strip().lower()
    if not USERNAME_RE.match(username):
        raise BadUserInput("'username' must be 3-30 characters of a-z, 0-9, '_' and '-'.", field="username")
    email = data.email.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise BadUserInput("'email' is not a valid email address.", field="email")
    check_length(data.password, "password", min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    profile = check_profile(data)
    return Registration(
        username=username,
        email=email,
        password=data.password,
        display_name=profile.display_name or username,
        bio=profile.bio,
        skills=profile.skills or [],
        experience=profile.experience,
    )


def check_profile(data: ProfileInput) -> ProfileInput:
    return ProfileInput(
        display_name=None
        if data.display_name is None
        else check_line(data.display_name, "displayName", max_length=MAX_DISPLAY_NAME),
        bio=optional_text(data.bio, "bio", max_length=MAX_BIO),
        skills=None if data.skills is None else normalise_labels(data.skills, "skills", max_count=MAX_SKILLS),
        experience=optional_text(data.experience, "experience", max_length=MAX_EXPERIENCE),
    )


async def do_register(ctx: Context, data: Registration) -> tuple[str, Member]:
    await check_rate(ctx, "login")
    data = check_registration(data)
    if await Member.filter(username=data.username).exists():
        raise Conflict(f"The username '{data.username}' is taken.", field="username")
    if await Member.filter(email=data.email).exists():
        raise Conflict("An account with this email already exists.", field="email")
    password_hash = await hash_password(data.password)  # before the transaction: it takes a while
    try:
        async with writing() as conn:
            member = await Member.create(
                using_db=conn,
                username=data.username,
                email=data.email,
                password_hash=password_hash,
                display_name=data.display_name,
                bio=data.bio,
                experience=data.experience,
            )
            await _replace_skills(conn, member, data.skills or [])
            token = await open_session(conn, member.id, device_of(ctx))
            await queue_verification(conn, member.id, member.email, welcome=True)  # the welcome email
    except IntegrityError:  # a concurrent registration won the race
        raise Conflict("This username or email was registered just now.", field="username") from None
    return token, member


async def do_login(ctx: Context, login: str, password: str) -> tuple[str, Member]:
    await check_rate(ctx, "login")
    login = login.strip().lower()
    await check_login_attempt(ctx, login)
    field, pattern = ("email", EMAIL_RE) if "@" in login else ("username", USERNAME_RE)
    # Only well-formed logins reach the database (PostgreSQL errors on a NUL, for instance).
    member = await Member.filter(**{field: login}).get_or_none() if len(login) <= 254 and pattern.match(login) else None
    # No stored password is over the maximum, so a longer one is wrong: checked against the
    # dummy hash (same cost), never cut down to a prefix that could match a real password.
    stored_hash = member.password_hash if member and len(password) <= MAX_PASSWORD else None
    # The same answer (and the same hashing cost) for an unknown login and a wrong password.
    if not await verify_password(stored_hash, password[:MAX_PASSWORD]) or member is None or member.deleted_at:
        raise Unauthenticated("Wrong login or password.")
    await forget_login_failures(login)
    if member.suspended_at is not None:  # said only to whoever knows the password
        raise Forbidden("This account is suspended by the site's administrators: you cannot log in.")
    async with writing() as conn:
        token = await open_session(conn, member.id, device_of(ctx))
    return token, member


async def do_update_profile(ctx: Context, data: ProfileInput) -> Member:
    member = await ctx.require_viewer()
    await check_rate(ctx, "mutation")
    checked = check_profile(data)
    async with writing() as conn:
        # Absent fields (None) stay; a field sent blank is checked to None, which clears it.
        for name in ("display_name", "bio", "experience"):
            if getattr(data, name) is not None:
                setattr(member, name, getattr(checked, name))
        await member.save(using_db=conn)
        if checked.skills is not None:
            await _replace_skills(conn, member, checked.skills)
    if checked.skills is not None:  # the response's `skills` must show the new list
        ctx.loaders.skills_by_member_id.prime(member.id, checked.skills, force=True)
    return member


async def _replace_skills(conn: BaseDBAsyncClient, member: Member, skills: list[str]) -> None:
    await MemberSkill.filter(member_id=member.id).using_db(conn).delete()
    await MemberSkill.bulk_create(
        [MemberSkill(member_id=member.id, skill=skill, position=i) for i, skill in enumerate(skills)],
        using_db=conn,
    )


async def member_by_username(username: str) -> Member | None:
    key = username_for_lookup(username)
    return await Member.get_or_none(username=key) if key else None
