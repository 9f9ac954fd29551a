"""``audioguide bundle``: the package's own files in one ZIP, and nothing from elsewhere."""

import json
import zipfile

import pytest

from .conftest import run


@pytest.fixture
def package(tmp_path):
    """A package folder as a build leaves it, as far as the bundle reads it: a manifest, files, a DAISY folder."""
    folder = tmp_path / "care"
    (folder / "daisy").mkdir(parents=True)
    (folder / "README.txt").write_text("Care\n", encoding="utf-8")
    (folder / "daisy" / "ncc.html").write_text("<html></html>\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"files": ["README.txt", "daisy", "manifest.json"]}))
    return folder


def test_the_zip_holds_the_manifests_files_under_the_packages_folder_name(package):
    result = run("bundle", package)
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(package.parent / "care.zip").namelist()
    assert names == ["care/README.txt", "care/daisy/ncc.html", "care/manifest.json"]


@pytest.mark.parametrize("linked", ["README.txt", "daisy/ncc.html", "daisy"])
def test_a_link_in_the_package_is_refused_and_no_zip_is_written(package, tmp_path, linked):
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "ncc.html").write_text("a private file\n", encoding="utf-8")
    link = package / linked
    if link.is_dir():
        (link / "ncc.html").unlink()
        link.rmdir()
        link.symlink_to(secret, target_is_directory=True)
    else:
        link.unlink()
        link.symlink_to(secret / "ncc.html")
    result = run("bundle", package)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "is a link, not a file of the package" in lines[0], result.output
    assert not list(package.parent.glob("*.zip")) and not list(package.parent.glob(".*zip*"))
