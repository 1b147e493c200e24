"""xlwings Lite without Excel: xlwings' own Office.js code in CPython, and real Pyodide under Node.

xlwings Lite runs a workbook's Python in Pyodide (CPython compiled to
WebAssembly) inside Excel's add-in browser runtime, and calls the functions
through xlwings' Office.js code (``xlwings.server``). Two ways to run that code
here, both offline:

* :func:`run_cpython`: ``lite/runtime.py`` in a fresh CPython (xlwings must be
  imported with ``XLWINGS_ON_SERVER`` set, which this test process did not do);
* :func:`start_pyodide`: ``lite/driver.mjs`` in Node loads a Pyodide release
  from its npm package, unpacks xl-reit's wheel and pure-Python wheels of
  xlwings and of xl-reit's dependencies, and runs ``lite/runtime.py`` in it.

:func:`prepare` installs the pinned Pyodide releases (``lite/package.json``,
``npm ci``) and downloads the wheels into a cache folder outside the work tree,
once: ``python tests/lite_harness.py`` does it (``.ci/run`` does, before the
tests), and the tests do it themselves where it has not been done.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

from xl_reit.lite import XLWINGS_FOR_LITE

ROOT = Path(__file__).resolve().parent.parent
LITE = Path(__file__).resolve().parent / "lite"
RUNTIME = LITE / "runtime.py"
DRIVER = LITE / "driver.mjs"
#: Node's oldest release the pinned Pyodide packages support ("engines" in their package.json).
NODE_MAJOR = 18


@dataclass(frozen=True)
class Runtime:
    """A Pyodide release with an xlwings release: a Lite that workbooks run in."""

    name: str
    package: str  # its name in lite/package.json
    python: str  # its Python's major.minor
    xlwings: str
    #: What a blank cell reaches a REIT_* function as: Pyodide 0.28 and later pass
    #: JavaScript's null as JsNull, which xlwings turns into None from 0.36.7 on.
    blank: str


RUNTIMES = (
    Runtime(
        f"Pyodide 314.0.8, xlwings {XLWINGS_FOR_LITE}",
        "pyodide-314",
        "3.14",
        XLWINGS_FOR_LITE,
        "NoneType",
    ),
    # xlwings Lite's changelog (1.0.0.0-18, July 2025): "New workbooks now default to
    # xlwings 0.33.15"; so workbooks pin it, whatever Pyodide Lite has moved on to.
    Runtime("Pyodide 314.0.8, xlwings 0.33.15", "pyodide-314", "3.14", "0.33.15", "JsNull"),
    # Lite's changelog (1.0.0.0-12, April 2025): "Upgraded to Pyodide 0.27.5".
    Runtime("Pyodide 0.27.7, xlwings 0.33.15", "pyodide-027", "3.12", "0.33.15", "NoneType"),
)


def cache_folder() -> Path:
    """Where the Pyodide releases and wheels are kept between runs (``XL_REIT_LITE_CACHE``)."""
    configured = os.environ.get("XL_REIT_LITE_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "xl-reit-lite"


def missing_tools() -> str | None:
    """Why Pyodide cannot run here (no Node.js 18 or newer, or no npm), or None."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return f"{'node' if node is None else 'npm'} is not installed (Node.js {NODE_MAJOR}+)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    major = int(re.match(r"v(\d+)", version.stdout.strip()).group(1))  # type: ignore[union-attr]
    if major < NODE_MAJOR:
        return f"node {version.stdout.strip()} is older than the {NODE_MAJOR} Pyodide needs"
    return None


def _stamp(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _install_pyodide(folder: Path) -> None:
    """``npm ci`` of lite/package.json into ``folder``, unless done for the same lock file."""
    files = [LITE / "package.json", LITE / "package-lock.json"]
    stamp = _stamp(*(path.read_text(encoding="utf-8") for path in files))
    done = folder / ".installed"
    if done.exists() and done.read_text() == stamp:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, folder / path.name)
    npm = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(npm, cwd=folder, check=True, stdout=subprocess.DEVNULL)
    done.write_text(stamp)


def _download(folder: Path, requirements: list[str]) -> None:
    """Pure-Python wheels of ``requirements`` and their dependencies, as micropip needs.

    ``--platform any --implementation py`` accepts only ``py3-none-any`` wheels, so
    the download fails, as installing in Lite would, if anything needs compiling.
    """
    stamp = _stamp(*requirements)
    done = folder / ".downloaded"
    if done.exists() and done.read_text() == stamp:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pure = ["--only-binary=:all:", "--platform", "any", "--implementation", "py"]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(folder)]
    command += [*pure, "--python-version", "3.12", *requirements]
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    done.write_text(stamp)


def dependencies() -> list[str]:
    """xl-reit's own requirements but xlwings (each Runtime brings its release).

    Only those micropip installs in Pyodide: a requirement marked for other
    platforms (DuckDB, for bulk work) is left out there, as micropip leaves it.
    """
    found = importlib.metadata.requires("xl-reit") or []
    return sorted(
        requirement
        for requirement in found
        if "extra ==" not in requirement
        and not requirement.startswith("xlwings")
        and _in_pyodide(requirement)
    )


def _in_pyodide(requirement: str) -> bool:
    """Whether a requirement's environment marker holds where Lite runs (Emscripten)."""
    marker = Requirement(requirement).marker
    return marker is None or marker.evaluate(
        {"sys_platform": "emscripten", "platform_system": "Emscripten"}
    )


def prepare(cache: Path | None = None) -> Path:
    """Install the pinned Pyodide releases and download the wheels, once; the cache folder."""
    cache = cache or cache_folder()
    _install_pyodide(cache / "npm")
    for xlwings in sorted({runtime.xlwings for runtime in RUNTIMES}):
        _download(cache / "wheels" / f"xlwings-{xlwings}", [f"xlwings=={xlwings}"])
    _download(cache / "wheels" / "dependencies", dependencies())
    return cache


def build_wheel(destination: Path) -> Path:
    """xl-reit's wheel, built from a clean copy of the work tree as a user would build it.

    A copy, because setuptools reuses a build/ folder, and a module deleted from the
    source but left there would ship in the wheel.
    """
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "xl-reit"
        shutil.copytree(
            ROOT,
            source,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
            ),
        )
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"]
        subprocess.run([*command, "-w", str(destination), str(source)], check=True)
    [built] = destination.glob("xl_reit-*.whl")
    return built


def _answer(process: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    if process.returncode != 0 or not process.stdout.strip():
        raise AssertionError(f"{what} failed ({process.returncode}):\n{process.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    return answer


def run_cpython(asked: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The answer of xlwings' Office.js code in a fresh CPython, as Lite's runtime gives it."""
    path = folder / "request-cpython.json"
    path.write_text(json.dumps(asked), encoding="utf-8")
    command = [sys.executable, str(RUNTIME), str(path)]
    # a self-contained main.py unpacks xl-reit into the temporary folder: this one
    scratch = {**os.environ, "TMPDIR": str(folder)}
    process = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=folder, env=scratch
    )
    return _answer(process, "runtime.py in CPython")


@dataclass
class Started:
    """A Node process running Pyodide, and what to say when it fails."""

    runtime: Runtime
    process: subprocess.Popen[str]

    def answer(self, timeout: float = 600) -> dict[str, Any]:
        stdout, stderr = self.process.communicate(timeout=timeout)
        code = self.process.returncode
        done = subprocess.CompletedProcess(self.process.args, code, stdout, stderr)
        return _answer(done, f"Pyodide ({self.runtime.name})")


def offline() -> list[str]:
    """The command prefix that starts a program without a network, where this machine can.

    ``unshare --net`` gives the program a network namespace of its own, with no
    interface up: nothing it runs can reach another machine. Where that is not
    permitted (no unshare, or no privilege for namespaces), the prefix is empty and
    ``driver.mjs``'s refusing ``fetch`` alone keeps Pyodide offline.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True, check=False)
    return [unshare, "--net"] if probe.returncode == 0 else []


def start_pyodide(
    runtime: Runtime, asked: dict[str, Any], wheel: Path | None, cache: Path, folder: Path
) -> Started:
    """Start ``asked`` in ``runtime`` (Node, offline) with xlwings' wheel and, unless
    ``wheel`` is None, xl-reit's and its dependencies', as Lite installs them from PyPI.

    With ``wheel`` None, Pyodide has xlwings only: what Lite installs for the
    requirements.txt of a self-contained ``main.py`` (``xl-reit lite``).
    """
    wheels = folder / f"wheels-{runtime.package}-xlwings-{runtime.xlwings}"
    wheels = wheels.with_name(wheels.name + ("" if wheel else "-alone"))
    wheels.mkdir()
    sources = list((cache / "wheels" / f"xlwings-{runtime.xlwings}").glob("*.whl"))
    if wheel is not None:
        sources += [wheel, *(cache / "wheels" / "dependencies").glob("*.whl")]
    for source in sources:
        shutil.copyfile(source, wheels / source.name)
    path = wheels.with_name(wheels.name + ".json")
    path.write_text(json.dumps(asked), encoding="utf-8")
    pyodide = cache / "npm" / "node_modules" / runtime.package
    command = [*offline(), "node", str(DRIVER), str(pyodide), str(wheels), str(RUNTIME), str(path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return Started(runtime, process)


if __name__ == "__main__":
    reason = missing_tools()
    if reason:
        print(f"Pyodide tests will be skipped: {reason}", file=sys.stderr)
    else:
        print(prepare())
