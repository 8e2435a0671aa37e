"""`insights users create` and `insights users list`."""

from flask.testing import FlaskCliRunner

from insights.auth.services import find_user
from insights.extensions import db


def test_create_user_reads_the_password_from_stdin(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "Lead@Example.org", "--role", "lead", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = find_user(db.session, "lead@example.org")
    assert user is not None and user.role == "lead"
    assert user.check_password("a long enough password")


def test_create_user_prompts_for_the_password_twice(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "m@example.org", "--role", "member"],
        input="prompted password\nprompted password\n",
    )
    assert result.exit_code == 0, result.output
    assert find_user(db.session, "m@example.org") is not None


def test_create_user_refuses_an_unknown_role_with_one_clear_line(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "boss"])
    assert result.exit_code != 0
    assert "'boss' is not one of" in result.output


def test_create_user_refuses_a_short_password_and_a_taken_email(runner: FlaskCliRunner) -> None:
    short = runner.invoke(
        args=["users", "create", "x@example.org", "--role", "member", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code == 1
    assert short.output.strip() == "Error: The password must be at least 10 characters."
    args = ["users", "create", "x@example.org", "--role", "member", "--password-stdin"]
    assert runner.invoke(args=args, input="long enough pw\n").exit_code == 0
    taken = runner.invoke(args=args, input="long enough pw\n")
    assert taken.exit_code == 1
    assert "already exists" in taken.output


def test_users_list_shows_roles(runner: FlaskCliRunner) -> None:
    runner.invoke(
        args=["users", "create", "a@example.org", "--role", "admin", "--password-stdin"],
        input="long enough pw\n",
    )
    assert "a@example.org\tadmin" in runner.invoke(args=["users", "list"]).output
