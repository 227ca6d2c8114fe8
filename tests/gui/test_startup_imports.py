"""Start-up loads what the login window needs, and no more (issue 16).

The login window of a database that is set up (encrypted) is shown from the office's name, read
from the key file beside it; the password typed there opens the database, and each service (with
its heavy libraries) loads only when it is first used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.bootstrap import LOCAL_OFFICE_KEY, login_office, open_services
from desktop.db.engine import make_engine
from desktop.db.migrate import MIGRATIONS_DIR, head_revision, newest_revision, upgrade
from desktop.services.offices import LOCAL_OFFICE_KEY as SETUP_LOCAL_OFFICE_KEY
from tests.conftest import make_world

ROOT = Path(__file__).resolve().parents[2]
# Libraries the login window does not need: printing, exports, sync, migrations, guessed holidays.
HEAVY = ("reportlab", "openpyxl", "numpy", "pandas", "alembic", "mako", "httpx", "pydantic",
         "holidays", "dateutil")


def _python(code: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("startup") / "office"
    world = make_world(data_dir)
    world.s.close()
    return data_dir


def test_the_launcher_shows_the_login_window_without_the_heavy_libraries(office: Path) -> None:
    """The login window of an encrypted database shows before anything is opened (the office's
    name is in the key file); its 登录 opens the database with the password and the window."""
    seen = _python(f"""
import json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop.security import keys
from desktop.ui.app import Launcher
from desktop.ui.dialogs.login import LoginDialog

app = QApplication(sys.argv[:1])
loaded = []
show = Launcher._show_login
def _show_login(self, office, first=False):  # the login window, before any password
    show(self, office, first)
    loaded.extend(m for m in {HEAVY!r} + ("sqlalchemy",) if m in sys.modules)
Launcher._show_login = _show_login
launcher = Launcher(app, Path({str(office)!r}), demo=False, username="")
launcher.start()
dialog = launcher._dialog
assert isinstance(dialog, LoginDialog) and launcher.services is None
title, visible = dialog.windowTitle(), dialog.isVisible()
dialog.username.setText("admin")
dialog.password.setText("test1234")
dialog.submit()
deadline = time.monotonic() + 60
while launcher.window is None:
    assert time.monotonic() < deadline, dialog.message.text()
    app.processEvents()
    time.sleep(0.01)
print(json.dumps({{"loaded": sorted(loaded), "title": title, "visible": visible,
                   "office": launcher.services.offices.local().name}}))
launcher.shutdown()
""")
    assert seen["loaded"] == []
    assert seen["visible"] and seen["title"] == "和解台 — 登录"
    assert seen["office"] == "长桥分局"


def test_the_login_window_and_its_office_name_need_no_sqlalchemy(office: Path) -> None:
    seen = _python(f"""
import json, sys
from pathlib import Path
import desktop.ui.app, desktop.ui.dialogs.login
from desktop.bootstrap import login_office
name = login_office(Path({str(office)!r}))
print(json.dumps({{"name": name, "sqlalchemy": "sqlalchemy" in sys.modules}}))
""")
    assert seen == {"name": "长桥分局", "sqlalchemy": False}


def test_login_office_reads_what_the_setup_service_says(office: Path, tmp_path: Path) -> None:
    assert LOCAL_OFFICE_KEY == SETUP_LOCAL_OFFICE_KEY
    services = open_services(office)
    try:
        assert login_office(office) == services.offices.local().name
    finally:
        services.close()
    assert login_office(tmp_path / "none") is None  # no database yet: the ordinary way opens it
    fresh = open_services(tmp_path / "fresh")
    fresh.close()
    assert login_office(tmp_path / "fresh") is None  # not set up: the set-up dialog comes first
    old = tmp_path / "old"
    old.mkdir()
    engine = make_engine(paths.database_path(old))
    upgrade(engine, "0001")
    engine.dispose()
    assert login_office(old) is None  # a migration is pending: it runs before the login window


def test_the_newest_migration_file_names_alembics_head() -> None:
    assert newest_revision() == head_revision()
    for file in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"):
        text = file.read_text(encoding="utf-8")
        assert f'revision = "{file.name.split("_", 1)[0]}"' in text, file.name


def test_services_are_built_on_first_use_once(office: Path) -> None:
    services = open_services(office)
    try:
        # Opening applies the shipped rule sets (reference, with complaints to recompute);
        # printing, the disclosure and sync wait for their first use.
        assert not {"printing", "disclosure", "sync"} & set(vars(services))
        assert services.printing is services.printing
        assert services.sync.audit is services.audit  # wired as before
        assert services.sync.complaints is services.complaints
    finally:
        services.close()
