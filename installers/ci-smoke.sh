#!/usr/bin/env bash
# The installers' check (called by .ci/run after the tests; runs alone too, as root on Debian 12):
#
#   1. installs what it needs (apt: nsis, binutils, strace, desktop-file-utils, libpython if the
#      python3 is not a shared build; pip: PyInstaller into .venv-build, see linux/build-deb.sh);
#   2. builds the .deb (installers/linux/build-deb.sh) and installs it with apt-get;
#   3. smoke-tests the INSTALLED program, in a clean environment (no venv on PATH, PYTHONPATH and
#      PYTHONHOME pointing at a folder that does not exist, a fresh HOME and data folder):
#      hejie-admin init creates a database, check and audit verify pass on it, demo builds one
#      with complaints, print renders a form to PDF, and hejie --smoke-test shows the login
#      window offscreen and reports that it runs on the bundle's own Python (sys.frozen, the
#      libpython mapped and every sys.path entry under /opt/hejie); strace shows that no file of
#      another Python (system, pyenv, a venv, site-packages) is even looked at;
#   4. the per-machine folder: a user of group hejie writes /var/lib/hejie without any setting;
#      removing the package keeps the data, purging deletes it (only when this run installed the
#      package on a machine that did not have it, and the folder was empty: never someone's data);
#   5. compiles the NSIS script with makensis against a stand-in payload.
# Prints the time of each part and in all. KEEP_INSTALLED=1 leaves the package installed.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
START=$SECONDS
LAST=$SECONDS
TIMES=()
lap() { TIMES+=("$(printf '%-44s %4d s' "$1" $((SECONDS - LAST)))"); LAST=$SECONDS; }
step() { printf '\n=== installers: %s\n' "$*"; }
fail() { echo "installers smoke test FAILED: $*" >&2; exit 1; }
PASSED=0
ok() { echo "ok: $*"; PASSED=$((PASSED + 1)); }

T="$(mktemp -d /tmp/hejie-smoke.XXXXXX)"
chmod 755 "$T"
SMOKE_USER=hejie-smoke
cleanup() {
  if id "$SMOKE_USER" >/dev/null 2>&1; then userdel "$SMOKE_USER" >/dev/null 2>&1 || true; fi
  # A run that stopped half-way leaves no package behind that it installed itself on a machine
  # without one, so the next run starts clean (never when the machine had data of its own).
  if [ "${WAS_INSTALLED:-}" = no ] && [ "${DATA_WAS_EMPTY:-}" = yes ] && [ -z "${KEEP_INSTALLED:-}" ] \
      && dpkg -s hejie >/dev/null 2>&1; then
    dpkg --purge hejie >/dev/null 2>&1 || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT

# --- 1. tools --------------------------------------------------------------------------------
step "tools"
PYLIB="$(python3 -c 'import sys, sysconfig; v=sys.version_info; print("" if sysconfig.get_config_var("Py_ENABLE_SHARED") else f"libpython{v[0]}.{v[1]}")')"
need=()
for pkg in nsis binutils patchelf strace desktop-file-utils file poppler-utils $PYLIB; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
lap "apt: ${need[*]:-nothing new}"

# --- 2. build and install the .deb ----------------------------------------------------------
step "build the .deb"
"$HERE/linux/build-deb.sh" | tee "$T/build.log"
DEB="$(tail -n 1 "$T/build.log")"
[ -f "$DEB" ] || fail "no .deb"
lap "build .deb (venv, PyInstaller, dpkg-deb)"

step "install $DEB"
WAS_INSTALLED=no
dpkg -s hejie >/dev/null 2>&1 && WAS_INSTALLED=yes
DATA_WAS_EMPTY=yes
[ -e /var/lib/hejie/hejie.db ] && DATA_WAS_EMPTY=no
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$DEB" >/dev/null
dpkg -s hejie | grep -q '^Status: install ok installed' || fail "hejie not installed"
lap "apt-get install the .deb"

step "what was installed"
for f in /opt/hejie/hejie /opt/hejie/hejie-admin /usr/bin/hejie /usr/bin/hejie-admin \
         /usr/share/applications/hejie.desktop /usr/share/icons/hicolor/256x256/apps/hejie.png \
         /usr/share/icons/hicolor/scalable/apps/hejie.svg /etc/hejie/hejie.ini; do
  [ -e "$f" ] || fail "missing $f"
done
[ "$(readlink -f /opt/hejie/hejie.ini)" = /etc/hejie/hejie.ini ] || fail "/opt/hejie/hejie.ini"
desktop-file-validate /usr/share/applications/hejie.desktop || fail "desktop entry"
grep -qx 'Name\[zh_CN\]=和解台 投诉调解' /usr/share/applications/hejie.desktop || fail "Chinese name"
[ "$(stat -c '%a %G' /var/lib/hejie)" = "2770 hejie" ] || fail "/var/lib/hejie is $(stat -c '%a %G' /var/lib/hejie)"
ls /opt/hejie/_internal/PySide6/Qt/translations/qtbase_zh_CN.qm /opt/hejie/_internal/resources/fonts/uming.ttc \
   /opt/hejie/_internal/desktop/db/migrations/env.py >/dev/null || fail "bundle contents"
ok "files, desktop entry, icons, /var/lib/hejie (2770, group hejie)"

# --- 3. the installed program, in a clean environment ----------------------------------------
# Nothing of this checkout, a venv or the machine's Python: only /usr/bin:/bin on PATH,
# PYTHONPATH/PYTHONHOME at a folder that does not exist (a program that used them would fail).
run() {
  env -i PATH=/usr/bin:/bin HOME="$T/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    PYTHONPATH="$T/no-such-python" PYTHONHOME="$T/no-such-python" \
    HEJIE_PASSWORD=smoke2026 "$@"
}
mkdir -p "$T/home"
cd "$T"

step "hejie-admin init, check, audit verify (a new database)"
run hejie-admin --version
run hejie-admin init --district-code WZ --district-name 苏州市吴中区市场监督管理局 \
  --office-code WZCQ --office-name 吴中区市场监督管理局长桥分局 --data-dir "$T/office"
run hejie-admin check --data-dir "$T/office" | tee "$T/check.txt"
grep -q '完整性检查：通过' "$T/check.txt" && grep -q '（最新）' "$T/check.txt" || fail "check"
ok "init made a database at the newest revision; check passes"
run hejie-admin audit verify --offline --data-dir "$T/office"
ok "audit verify"
lap "init, check, audit verify"

step "hejie-admin demo and print (one form to PDF)"
run env HEJIE_PASSWORD=demo1234 hejie-admin demo --complaints 20 --data-dir "$T/demo" | tail -n 2
# The database is encrypted (SQLCipher): a complaint's number comes from the program's own ledger
# export (an xlsx is a zip of XML), not from reading hejie.db.
run env HEJIE_PASSWORD=demo1234 hejie-admin export ledger --user wangfang --data-dir "$T/demo" \
  --out "$T/numbers.xlsx" >/dev/null
NUMBER="$(python3 -c "
import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
for name in sorted(n for n in book.namelist() if n.startswith('xl/worksheets/')):
    for row in re.findall(r'<row[^>]*>(.*?)</row>', book.read(name).decode()):
        cells = re.findall(r'<t[^>]*>([^<]*)</t>', row)
        if len(cells) > 1 and cells[1] == '投诉' and re.fullmatch(r'[A-Z0-9]+-[0-9]{8}-[0-9]{4}', cells[0]):
            print(cells[0]); sys.exit()
sys.exit('no complaint in the ledger export')" "$T/numbers.xlsx")"
! grep -qa '投诉' "$T/demo/hejie.db" || fail "hejie.db holds readable text: not encrypted"
run env HEJIE_PASSWORD=demo1234 hejie-admin print registration --complaint "$NUMBER" \
  --data-dir "$T/demo" --out "$T/registration.pdf"
head -c 5 "$T/registration.pdf" | grep -q '%PDF-' || fail "no PDF"
pdftotext "$T/registration.pdf" - | grep -q '投诉登记表' || fail "PDF text"
pdffonts "$T/registration.pdf" | grep -q 'UMing' || fail "PDF font"
ok "$(stat -c %s "$T/registration.pdf") bytes, 投诉登记表 $NUMBER, fonts embedded"
lap "demo, print registration"

step "hejie-admin stats and export ledger (pandas and openpyxl in the bundle)"
run env HEJIE_PASSWORD=demo1234 hejie-admin stats --from 2025-01-01 --to 2026-11-30 --user wangfang \
  --data-dir "$T/demo" --out "$T/stats.xlsx"
run env HEJIE_PASSWORD=demo1234 hejie-admin export ledger --user wangfang --data-dir "$T/demo" \
  --out "$T/ledger.xlsx"
for f in stats ledger; do head -c 2 "$T/$f.xlsx" | grep -q 'PK' || fail "no $f.xlsx"; done
ok "statistics workbook $(stat -c %s "$T/stats.xlsx") bytes, ledger $(stat -c %s "$T/ledger.xlsx") bytes"
lap "stats, export ledger"

step "hejie --smoke-test (the login window, offscreen)"
run hejie --smoke-test="$T/smoke.json" --data-dir "$T/demo"
python3 - "$T/smoke.json" <<'EOF' || fail "the window's report"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
checks = {
    "result ok": r["result"] == "ok",
    "login window": r["window"] == "LoginDialog" and "登录" in r["title"],
    "painted": r["painted"],
    "frozen": r["frozen"] is True,
    "executable in /opt/hejie": r["executable"] == "/opt/hejie/hejie",
    "bundle /opt/hejie/_internal": r["bundle"] == "/opt/hejie/_internal",
    "sys.path only in the bundle": r["sys_path"] and not r["sys_path_outside_bundle"],
    "its own libpython": bool(r["libpython"]) and all(p.startswith("/opt/hejie/") for p in r["libpython"]),
    "Qt's Chinese translations": r["qtbase_zh_CN"],
    "resources in the bundle": r["resources"].startswith("/opt/hejie/"),
}
for name, ok in checks.items():
    print(("ok:   " if ok else "FAIL: ") + name)
print("python", r["python"], "qt", r["qt"], "window after", r["seconds_to_window"], "s")
sys.exit(0 if all(checks.values()) else 1)
EOF
PASSED=$((PASSED + 1))
lap "hejie --smoke-test"

step "strace: no other Python is looked at"
run strace -f -qq -e trace=open,openat,stat,newfstatat,execve -o "$T/strace.txt" \
  hejie-admin check --data-dir "$T/office" >/dev/null
run strace -f -qq -e trace=open,openat,stat,newfstatat,execve -o "$T/strace-gui.txt" \
  hejie --smoke-test --data-dir "$T/demo" >/dev/null
if grep -hoE '"[^"]*(python3\.[0-9]+/|site-packages|dist-packages|\.venv|\.pyenv)[^"]*"' "$T/strace.txt" "$T/strace-gui.txt" \
    | grep -v '^"/opt/hejie/' | sort -u | head -n 20 | tee "$T/foreign.txt" | grep -q .; then
  cat "$T/foreign.txt" >&2
  fail "the installed program looked at another Python's files (above)"
fi
ok "$(grep -c . "$T/strace.txt") + $(grep -c . "$T/strace-gui.txt") calls traced, all Python files under /opt/hejie"
lap "strace"

# --- 4. the per-machine folder, remove and purge ---------------------------------------------
step "per-machine data folder /var/lib/hejie"
run hejie-admin check --help | tr -d '\n ' | grep -q '默认/var/lib/hejie' || fail "default folder is not /var/lib/hejie"
ok "hejie-admin's default data folder is /var/lib/hejie (/etc/hejie/hejie.ini)"
if [ "$DATA_WAS_EMPTY" = yes ]; then
  useradd --system --no-create-home --shell /usr/sbin/nologin -G hejie "$SMOKE_USER"
  mkdir -p "$T/home-user" && chown "$SMOKE_USER" "$T/home-user"
  runuser -u "$SMOKE_USER" -- env -i PATH=/usr/bin:/bin HOME="$T/home-user" LANG=C.UTF-8 \
    HEJIE_PASSWORD=smoke2026 hejie-admin init --district-code WZ --district-name 吴中区市场监督管理局 \
    --office-code WZCQ --office-name 长桥分局 >/dev/null
  [ "$(stat -c '%a %G' /var/lib/hejie/hejie.db)" = "660 hejie" ] || fail "hejie.db is $(stat -c '%a %G' /var/lib/hejie/hejie.db)"
  ok "$SMOKE_USER (group hejie) made /var/lib/hejie/hejie.db, 0660 group hejie"
else
  echo "skipped: /var/lib/hejie already holds a database (this machine's data is not touched)"
fi
lap "per-machine folder"

if [ "$WAS_INSTALLED" = no ] && [ "$DATA_WAS_EMPTY" = yes ] && [ -z "${KEEP_INSTALLED:-}" ]; then
  step "remove keeps the data, purge deletes it"
  dpkg -r hejie >/dev/null
  [ ! -e /opt/hejie/hejie ] && [ ! -e /usr/bin/hejie ] || fail "program left after remove"
  [ -f /var/lib/hejie/hejie.db ] && [ -f /etc/hejie/hejie.ini ] || fail "remove deleted the data or settings"
  ok "removed, /var/lib/hejie/hejie.db and /etc/hejie/hejie.ini kept"
  dpkg --purge hejie >/dev/null
  [ ! -e /var/lib/hejie ] && [ ! -e /etc/hejie ] || fail "purge left /var/lib/hejie or /etc/hejie"
  ok "purged, /var/lib/hejie and /etc/hejie gone"
  lap "remove, purge"
fi

# --- 5. the Windows installer script ----------------------------------------------------------
step "makensis installers/windows/hejie.nsi (stand-in payload)"
PAYLOAD="$T/payload/hejie"
mkdir -p "$PAYLOAD/_internal/resources"
printf 'stand-in for the PyInstaller bundle built on Windows\n' > "$PAYLOAD/hejie.exe"
cp "$PAYLOAD/hejie.exe" "$PAYLOAD/hejie-admin.exe"
cp "$ROOT/resources/codetables.json" "$PAYLOAD/_internal/resources/"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/desktop/__init__.py")"
SETUP="$T/hejie-$VERSION-setup.exe"
(cd "$ROOT/installers/windows" && makensis -V2 -WX -INPUTCHARSET UTF8 -DVERSION="$VERSION" \
   -DPAYLOAD="$PAYLOAD" -DOUTFILE="$SETUP" hejie.nsi)
file "$SETUP" | grep -q 'Nullsoft Installer' || fail "makensis output"
ok "$(stat -c %s "$SETUP") bytes, $(file -b "$SETUP")"
lap "makensis"

cd "$ROOT"
printf '\n=== installers: times\n'
printf '%s\n' "${TIMES[@]}"
printf '%-44s %4d s\n' "installers smoke test in all" $((SECONDS - START))
echo "installers: $PASSED passed, 0 failed"
