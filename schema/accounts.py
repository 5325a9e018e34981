"""The account life cycle: password, address, reset, deletion."""

from __future__ import annotations

import strawberry

from resolvers.members import accounts, deletion
from schema.base import CercleInfo
from schema.members import AuthPayload, Member
from schema.transport.session import end_session, start_session


@strawberry.type
class AccountMutation:
    @strawberry.mutation(
        description="Change your password (BAD_USER_INPUT on `currentPassword` when it is wrong, limited like "
        "logins). Your other sessions end; this one stays."
    )
    async def change_password(self, info: CercleInfo, current_password: str, new_password: str) -> bool:
        await accounts.do_change_password(info.context, current_password, new_password)
        return True

    @strawberry.mutation(
        description="Ask to change your address: a verification link is mailed to the new one, which becomes "
        "yours once the link is used (`pendingEmail` until then). CONFLICT when another account has it."
    )
    async def change_email(self, info: CercleInfo, email: str, password: str) -> bool:
        await accounts.do_change_email(info.context, email, password)
        return True

    @strawberry.mutation(
        description="Mail a new verification link: to the new address awaiting one (`pendingEmail`), else to your "
        "address; false (nothing sent) when there is nothing to verify."
    )
    async def request_email_verification(self, info: CercleInfo) -> bool:
        return await accounts.do_request_email_verification(info.context)

    @strawberry.mutation(
        description="Verify an address with the token of its link (no login needed); a new address becomes the "
        "member's. A bad, expired or used token: BAD_USER_INPUT on `token`."
    )
    async def verify_email(self, info: CercleInfo, token: str) -> Member:
        return Member.from_row(await accounts.do_verify_email(info.context, token))

    @strawberry.mutation(
        description="Mail a password reset link to this address if it is a member's. Always true, in about the "
        "same time, whether or not it is."
    )
    async def request_password_reset(self, info: CercleInfo, email: str) -> bool:
        await accounts.do_request_password_reset(info.context, email)
        return True

    @strawberry.mutation(
        description="Set a new password with the token of a reset link: every session ends, and you are logged "
        "in anew. A bad, expired or used token: BAD_USER_INPUT on `token`."
    )
    async def reset_password(self, info: CercleInfo, token: str, password: str) -> AuthPayload:
        session_token, row = await accounts.do_reset_password(info.context, token, password)
        start_session(info.context, session_token)
        return AuthPayload(token=session_token, member=Member.from_row(row))

    @strawberry.mutation(
        description="Delete your account: your personal data is removed and every session ends; your posts and "
        "comments stay, shown as by a former member. CONFLICT while you are the only owner of a community."
    )
    async def delete_account(self, info: CercleInfo, password: str) -> bool:
        await deletion.do_delete_account(info.context, password)
        end_session(info.context)
        return True
