"""The package's shape, checked by reading its source: no import circles, each folder importing only
what sits below it in the pipeline, and no native engine loaded where nothing is rendered."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, REFERENCE, ROOT

PACKAGE = ROOT / "audioguide"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every audioguide module this file imports, at its top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("audioguide")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("audioguide"):
                continue
            # "from . import x" names a module when x is one.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {module for module in found if module in MODULES and module != name}


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def test_no_module_imports_itself_through_others():
    def cycle_from(start):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, trail = stack.pop()
            for nxt in GRAPH[node]:
                if nxt == start:
                    return [*trail, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    cycles = [cycle for name in sorted(GRAPH) if (cycle := cycle_from(name))]
    assert cycles == [], " → ".join(cycles[0])


#: What each folder may import from the others: the pipeline, read → speech → build → outputs, with
#: languages and engines beside it. (A folder always imports its own modules; cli and web are faces.)
ALLOWED = {
    "audioguide.read": {"audioguide.errors", "audioguide.languages"},
    "audioguide.speech": {"audioguide.errors", "audioguide.languages", "audioguide.read"},
    "audioguide.languages": {"audioguide.errors", "audioguide.speech.lexicon", "audioguide.speech.rules"},
    "audioguide.engines": {"audioguide.errors"},
    "audioguide.outputs": {
        "audioguide.errors", "audioguide.files", "audioguide.settings", "audioguide.languages", "audioguide.read",
        "audioguide.speech", "audioguide.engines", "audioguide.build.types", "audioguide.build.keys", "audioguide",
    },
}  # fmt: skip


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_folder_imports_only_what_lies_below_it(folder):
    wrong = []
    for name, imported in GRAPH.items():
        if name != folder and not name.startswith(folder + "."):
            continue
        for module in imported:
            if module == folder or module.startswith(folder + "."):
                continue
            if not any(module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED[folder]):
                wrong.append(f"{name} imports {module}")
    assert wrong == []


def test_the_build_types_import_nothing_of_the_builder():
    builder = {name for name in MODULES if name.startswith("audioguide.build.")} - {"audioguide.build.types"}
    assert GRAPH["audioguide.build.types"] & builder == set()


def test_only_the_top_holds_modules_besides_the_pipeline_folders():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "errors.py", "files.py", "settings.py"]


def _modules_loaded_by(code: str) -> dict:
    probe = (
        "import json, sys\n" + code + "\n"
        "from audioguide.engines.base import native_engine\n"
        "print(json.dumps({'native': native_engine(), 'modules': sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('pyttsx3', 'piper', 'onnxruntime'))}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("engine", ["espeak", "piper"])
def test_planning_a_build_loads_no_engine(engine, tmp_path):
    # Engines load only in the workers that render; planning reads their catalogues.
    if engine == "piper":
        from .conftest import require_piper

        require_piper()
    code = (
        "from pathlib import Path\n"
        "from audioguide.build.plan import load_guide, plan_guide\n"
        "from audioguide.settings import Request\n"
        f"guide, settings = load_guide(Path({str(REFERENCE)!r}), Request(engine={engine!r}))\n"
        f"plan_guide(guide, settings, Path({str(tmp_path)!r}), Path({str(tmp_path)!r}), 1)\n"
        "from audioguide.speech.proof import proof_guide\n"
        "proof_guide(guide, settings.pauses, settings.lexicons, settings.language)\n"
    )
    assert _modules_loaded_by(code) == {"native": None, "modules": []}


def test_the_workbench_loads_no_engine_to_list_check_and_queue(tmp_path):
    code = (
        "from pathlib import Path\n"
        "from starlette.testclient import TestClient\n"
        "from audioguide.web import create_app\n"
        f"client = TestClient(create_app(Path({str(tmp_path)!r})), base_url='http://127.0.0.1:8000')\n"
        "own = {'origin': 'http://127.0.0.1:8000'}\n"
        f"guide = client.post('/api/guides', files={{'file': ('care.md', open({str(FIXTURES / 'care-plan.md')!r}, 'rb'))}},"
        " headers=own).json()\n"
        "assert client.get(f\"/api/guides/{guide['id']}/proof\").status_code == 200\n"
        "assert client.get('/api/choices').status_code == 200\n"
    )
    assert _modules_loaded_by(code) == {"native": None, "modules": []}
