"""Every command explains itself, with an example, and the exit codes."""

import pytest

from audioguide.cli import cli

from .conftest import ROOT, run

COMMANDS = sorted(cli.commands)


def test_the_commands_are_the_ones_the_readme_documents():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `audioguide (\w+)", readme, re.M)
    assert documented and sorted(documented) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "Exit codes: 0 done, 1 failed, 2 bad usage or input." in " ".join(result.output.split())
    for parameter in cli.commands[command].params:
        if parameter.param_type_name == "option":
            assert parameter.help, f"{command} {parameter.opts} has no help text"


def test_top_level_help_and_version():
    assert "Example" in run("--help").output
    assert run("--version").output.startswith("audioguide, version")


def test_python_dash_m_works():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "audioguide", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout


def test_the_benchmark_script_still_runs_against_the_current_code():
    import subprocess
    import sys

    from .conftest import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "--quick" in result.stdout
