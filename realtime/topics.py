"""Topics name a scope, not an action."""


def community_topic(community_id: int) -> str:
    return f"community:{community_id}"


def member_topic(member_id: int) -> str:
    return f"member:{member_id}"
