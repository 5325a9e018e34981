from tests.factories import PASSWORD, Persona

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) { token member { username displayName skills } }
}
"""
LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token member { username } } }"
ME = "{ me { username email } }"


async def test_register_then_me_with_the_token(gql):
    # given / when
    data = await gql.data(
        REGISTER,
        {
            "input": {
                "username": "Zoe_B",
                "email": "zoe@example.org",
                "password": PASSWORD,
                "skills": ["Python", "#Writing"],
            }
        },
    )
    # then
    assert data["register"]["member"] == {"username": "zoe_b", "displayName": "zoe_b", "skills": ["python", "writing"]}
    me = await gql.data(ME, token=data["register"]["token"])
    assert me["me"] == {"username": "zoe_b", "email": "zoe@example.org"}


async def test_anonymous_me_is_null(gql):
    assert (await gql.data(ME))["me"] is None


async def test_wrong_password_and_unknown_user_get_the_same_answer(gql, owner_alice: Persona):
    wrong = await gql.error(LOGIN, {"input": {"login": "alice", "password": "not the password"}})
    unknown = await gql.error(LOGIN, {"input": {"login": "nobody", "password": "not the password"}})
    assert wrong["extensions"]["code"] == unknown["extensions"]["code"] == "UNAUTHENTICATED"
    assert wrong["message"] == unknown["message"]


async def test_login_by_email_or_username(gql, owner_alice: Persona):
    by_email = await gql.data(LOGIN, {"input": {"login": "Alice@Example.org", "password": PASSWORD}})
    by_name = await gql.data(LOGIN, {"input": {"login": "ALICE", "password": PASSWORD}})
    assert by_email["login"]["member"]["username"] == by_name["login"]["member"]["username"] == "alice"
