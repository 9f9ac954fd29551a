"""The package's types check: mypy over audioguide/, with the settings in pyproject.toml."""

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_the_package_is_type_checked_clean(tmp_path):
    api = pytest.importorskip("mypy.api")
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path),
                                      str(ROOT / "audioguide")])  # fmt: skip
    assert status == 0, stdout + stderr
