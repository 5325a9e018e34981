from pathlib import Path

from strawberry.printer import print_schema

from schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_checked_in_schema_matches_the_code():
    # Clients read schema.graphql; regenerate it with `make schema` after changing the API.
    assert SCHEMA_FILE.read_text().strip() == print_schema(schema).strip(), "schema.graphql drifted: run `make schema`"


def test_every_public_field_is_described():
    undocumented = [
        f"{name}.{field_name}"
        for name, graphql_type in schema._schema.type_map.items()
        if not name.startswith("__") and hasattr(graphql_type, "fields")
        for field_name, field in graphql_type.fields.items()
        if not field.description
    ]
    assert undocumented == []
