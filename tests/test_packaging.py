"""A fresh install gets every file the code loads (lexicons, models, migrations, templates, static files)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_packaging_wheel_carries_data_files(tmp_path: Path) -> None:
    pytest.importorskip("setuptools")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    src = REPO / "src"
    # every file of the package, code or data (lexicons, models, templates, static files, migrations)
    expected = [
        p.relative_to(src).as_posix()
        for p in (src / "parallax").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert expected, "no data files found in the source tree"
    missing = [e for e in expected if e not in names]
    assert not missing, f"files missing from the wheel: {missing}"
    assert any(n.endswith("entry_points.txt") for n in names)
