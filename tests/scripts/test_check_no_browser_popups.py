"""scripts/check_no_browser_popups.sh guards templates and static JS."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "scripts/check_no_browser_popups.sh"


def run(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", SCRIPT], cwd=cwd, capture_output=True, text=True, check=False)


def test_repository_has_no_browser_popups():
    result = run(ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "OK: No browser popups (alert/confirm/prompt) found"


def test_script_reports_offending_file_and_line(tmp_path):
    for folder in ("scripts", "templates", "static/js"):
        (tmp_path / folder).mkdir(parents=True)
    shutil.copy(ROOT / SCRIPT, tmp_path / SCRIPT)
    (tmp_path / "templates" / "page.html").write_text("<p>ok</p>\n<button onclick=\"confirm('x')\">x</button>\n")
    result = run(tmp_path)
    assert result.returncode == 1
    assert "templates/page.html:2:" in result.stdout
