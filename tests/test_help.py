"""Every command explains itself, with an example, and the exit codes."""

import pytest

from audioguide.cli import cli

from .conftest import run

COMMANDS = sorted(cli.commands)


def test_there_are_commands():
    assert {"build", "chapters", "voices"} <= set(COMMANDS)


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
