"""A release is ready to tag: one version in the package, the CHANGELOG, the README and the
workflow that publishes it (``.github/workflows/publish.yml``, run by GitHub, not here)."""

from __future__ import annotations

import re
from pathlib import Path

import xl_reit

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
WORKFLOW = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")


def test_the_changelogs_newest_section_is_the_packages_version() -> None:
    sections = re.findall(r"^## (\S+) ", CHANGELOG, flags=re.MULTILINE)
    assert sections[0] == xl_reit.__version__
    assert sections[-1] == "0.1.0"  # it goes back to the first version


def test_every_version_the_readme_names_is_the_packages() -> None:
    named = re.findall(r"xl-reit(?:==| )(\d+\.\d+\.\d+)", README)
    named += re.findall(r"xl_reit-(\d+\.\d+\.\d+)", README)
    assert named and set(named) == {xl_reit.__version__}


def test_the_readmes_install_line_works_today_and_names_the_one_pypi_will_answer() -> None:
    # the quick start installs from the clone (nothing is published yet) ...
    assert ".venv/bin/pip install . && .venv/bin/xl-reit template" in README
    # ... and says the line that will replace it once the version is on PyPI
    assert "`pip install xl-reit`" in README


def test_the_workflow_publishes_a_version_tag_by_trusted_publishing() -> None:
    assert re.search(r'^on:\n  push:\n    tags: \["v\*"\]$', WORKFLOW, flags=re.MULTILINE)
    assert "id-token: write" in WORKFLOW
    assert "uses: pypa/gh-action-pypi-publish@release/v1" in WORKFLOW
    assert "password:" not in WORKFLOW and "secrets." not in WORKFLOW  # no stored token
    # the tag's check reads the version where the package keeps it, and the CHANGELOG's
    # heading as written above
    assert "xl_reit/_version.py" in WORKFLOW
    assert 'grep -q "^## $version " CHANGELOG.md' in WORKFLOW
