"""The command line starts fast and its help lists exactly the commands that exist."""

import subprocess
import sys
import time

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from insights.cli import COMMAND_HELP, main


def test_help_lists_every_command_the_app_has(app: Flask) -> None:
    """COMMAND_HELP names each real command once, so `--help` never lies or hides one."""
    real = set(app.cli.list_commands(app.app_context())) | {"db", "routes", "run", "shell"}
    assert set(COMMAND_HELP) == real, (
        "Add each new command's one-line help to insights.cli.COMMAND_HELP "
        f"(missing: {sorted(real - set(COMMAND_HELP))}, stale: {sorted(set(COMMAND_HELP) - real)})"
    )


def test_help_loads_no_heavy_library() -> None:
    """`insights --help` imports neither the app's extensions nor spaCy, pandas or matplotlib."""
    probe = (
        "import sys\n"
        "from insights.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'spacy', 'pandas', 'matplotlib', 'sqlalchemy', 'flask_sqlalchemy', 'networkx'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "workshops" in done.stdout and "Create and list workshops." in done.stdout
    assert elapsed < 5, elapsed  # the figure is measured in benchmarks/bench_cli_startup.py


def test_a_command_still_runs_through_the_lazy_help(app: Flask) -> None:
    """Commands run as before: the group builds the app when one is invoked."""
    info = ScriptInfo(create_app=lambda: app)
    result = CliRunner().invoke(main, ["workshops", "list"], obj=info)
    assert result.exit_code == 0, result.output
