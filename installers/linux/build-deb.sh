#!/usr/bin/env bash
# Builds the Linux package of the office program: PyInstaller bundle (installers/hejie.spec),
# then a .deb with dpkg-deb. Run from anywhere; writes dist/hejie_VERSION_ARCH.deb.
#
#   installers/linux/build-deb.sh                 # venv .venv-build (made if missing), build, pack
#   installers/linux/build-deb.sh --no-build      # pack the bundle already in build/pyinstaller
#   BUILD_VENV=/path/venv installers/linux/build-deb.sh
#   DEB_COMPRESSION=gzip installers/linux/build-deb.sh --no-build   # quick repack (default xz)
#
# Needs: python3 (3.11+, with venv; built with --enable-shared, as pyenv's is, or Debian's with
# its libpython3.11 package), binutils (objdump), dpkg-deb, and patchelf when the Python's
# modules carry an RPATH of the build machine (pyenv's do: see bundle_libs.py rpaths). Nothing is installed system-wide; the package is root-owned
# inside without fakeroot (dpkg-deb --root-owner-group).
#
# Layout of the package:
#   /opt/hejie/                 the bundle: hejie, hejie-admin, _internal/ (Python, Qt, data)
#   /opt/hejie/hejie.ini     -> /etc/hejie/hejie.ini (a conffile: scope = machine,
#                               dir = /var/lib/hejie; desktop/paths.py reads it)
#   /usr/bin/hejie              wrapper (input-method fix-up, see hejie.sh), exec /opt/hejie/hejie
#   /usr/bin/hejie-admin     -> /opt/hejie/hejie-admin
#   /usr/share/applications/hejie.desktop, /usr/share/icons/hicolor/*/apps/hejie.{png,svg}
#   postinst: group hejie, /var/lib/hejie (root:hejie 2770); postrm: the data goes on purge only
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

BUILD=no
[ "${1:-}" = "--no-build" ] || BUILD=yes
VENV="${BUILD_VENV:-$ROOT/.venv-build}"
WORK="$ROOT/build/pyinstaller"
BUNDLE="$WORK/dist/hejie"
STAGE="$ROOT/build/deb/root"
OUT="$ROOT/dist"

VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)"
ARCH="$(dpkg --print-architecture)"
DEB="$OUT/hejie_${VERSION}_${ARCH}.deb"

step() { printf '\n== %s\n' "$*"; }

if [ "$BUILD" = yes ]; then
  if [ ! -x "$VENV/bin/pyinstaller" ]; then
    step "build venv $VENV: PyInstaller and the program's dependencies (not the program: the spec takes this checkout)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    # pyproject.toml's [project] dependencies and the [build] extra, without installing hejie.
    mapfile -t deps < <(python3 - <<'EOF'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["build"]))
EOF
)
    "$VENV/bin/pip" install -q "${deps[@]}"
  fi
  step "PyInstaller: installers/hejie.spec -> $BUNDLE"
  start=$SECONDS
  "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$WORK/dist" --workpath "$WORK/work" installers/hejie.spec
  echo "PyInstaller took $((SECONDS - start)) s"
fi
[ -x "$BUNDLE/hejie" ] && [ -x "$BUNDLE/hejie-admin" ] || { echo "no bundle in $BUNDLE" >&2; exit 1; }

step "search paths of the build machine out of the bundle"
if python3 "$HERE/bundle_libs.py" rpaths "$BUNDLE" >/dev/null; then
  echo "none"
else
  command -v patchelf >/dev/null || { echo "error: the bundle's libraries search folders of this machine (bundle_libs.py rpaths); install patchelf to take them out" >&2; exit 1; }
  python3 "$HERE/bundle_libs.py" fix-rpaths "$BUNDLE"
fi

step "what the bundle needs from the system"
FLOOR_JSON="$(python3 "$HERE/bundle_libs.py" floor "$BUNDLE")"
echo "$FLOOR_JSON"
GLIBC="$(printf '%s' "$FLOOR_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["glibc"])')"
mapfile -t SYSTEM_LIBS < <(python3 "$HERE/bundle_libs.py" system "$BUNDLE")
echo "from the system: ${SYSTEM_LIBS[*]}"

# Each library the bundle takes from the system, and the Debian package that has it (the same
# names on UOS, Kylin and Ubuntu). glibc is versioned by the measured floor.
declare -A PACKAGE=(
  [libc.so.6]="libc6 (>= $GLIBC)" [libm.so.6]=libc6 [libdl.so.2]=libc6 [libpthread.so.0]=libc6
  [librt.so.1]=libc6 [libresolv.so.2]=libc6 [libutil.so.1]=libc6 [libcrypt.so.1]=libcrypt1
  [ld-linux-x86-64.so.2]=libc6 [ld-linux-aarch64.so.1]=libc6
  [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1 [libOpenGL.so.0]=libopengl0 [libGLX.so.0]=libglx0
  [libxcb.so.1]=libxcb1 [libdrm.so.2]=libdrm2
  [libwayland-client.so.0]=libwayland-client0 [libwayland-cursor.so.0]=libwayland-cursor0
  [libwayland-egl.so.1]=libwayland-egl1
  # Qt's xcb platform plugin: PyInstaller bundles what the build machine has and leaves the rest
  # to the system, so which of these show up depends on the machine that builds (a fresh one
  # lacks the xcb-util libraries).
  [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-image.so.0]=libxcb-image0
  [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-util.so.1]=libxcb-util1
  [libxcb-shape.so.0]=libxcb-shape0 [libxcb-randr.so.0]=libxcb-randr0
  [libxcb-xfixes.so.0]=libxcb-xfixes0 [libxcb-sync.so.1]=libxcb-sync1
  [libxcb-xkb.so.1]=libxcb-xkb1 [libxcb-shm.so.0]=libxcb-shm0 [libxcb-render.so.0]=libxcb-render0
  [libxcb-glx.so.0]=libxcb-glx0 [libxcb-xinput.so.0]=libxcb-xinput0
  [libxkbcommon.so.0]=libxkbcommon0 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libX11-xcb.so.1]=libx11-xcb1 [libX11.so.6]=libx11-6
  [libfontconfig.so.1]=libfontconfig1 [libfreetype.so.6]=libfreetype6
  [libdbus-1.so.3]=libdbus-1-3 [libglib-2.0.so.0]=libglib2.0-0
)
declare -A SEEN=()
DEPENDS=()
for lib in "${SYSTEM_LIBS[@]}"; do
  pkg="${PACKAGE[$lib]:-}"
  if [ -z "$pkg" ]; then
    echo "error: the bundle needs $lib from the system, and build-deb.sh does not know its package: add it to PACKAGE" >&2
    exit 1
  fi
  name="${pkg%% *}"
  [ "$name" = libc6 ] && pkg="libc6 (>= $GLIBC)"
  if [ -z "${SEEN[$name]:-}" ]; then
    SEEN[$name]=1
    DEPENDS+=("$pkg")
  fi
done
# libc6 first, with its version; the rest sorted.
DEPENDS_LINE="$(printf '%s\n' "${DEPENDS[@]}" | sort -t' ' -k1,1 | awk '/^libc6 \(/{print; next} {rest=rest $0 "\n"} END{printf "%s", rest}' | paste -sd, - | sed 's/,/, /g')"
echo "Depends: $DEPENDS_LINE"

step "staging $STAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/etc/hejie" \
  "$STAGE/usr/share/applications" "$STAGE/usr/share/doc/hejie"
cp -a "$BUNDLE" "$STAGE/opt/hejie"
install -m 644 "$HERE/hejie.ini" "$STAGE/etc/hejie/hejie.ini"
ln -s /etc/hejie/hejie.ini "$STAGE/opt/hejie/hejie.ini"
install -m 755 "$HERE/hejie.sh" "$STAGE/usr/bin/hejie"
ln -s /opt/hejie/hejie-admin "$STAGE/usr/bin/hejie-admin"
install -m 644 "$HERE/hejie.desktop" "$STAGE/usr/share/applications/hejie.desktop"
for size in 16 32 48 256; do
  install -D -m 644 "resources/icons/hejie-$size.png" \
    "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/hejie.png"
done
install -D -m 644 resources/icons/hejie.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/hejie.svg"
cat > "$STAGE/usr/share/doc/hejie/copyright" <<EOF
和解台 Hejie $VERSION — proprietary (LicenseRef-Proprietary).

Bundled in /opt/hejie/_internal: CPython (PSF licence), Qt 6 and PySide6 (LGPL-3), and the
Python libraries listed in the program's pyproject.toml, each under its own licence (their
licence files are in the bundle's *.dist-info folders where the wheels carry them).
Fonts (/opt/hejie/_internal/resources/fonts, with their licence files): AR PL UMing (Arphic
Public License), WenQuanYi Zen Hei (GPL-2 with the font-embedding exception).
EOF
find "$STAGE" -type d -exec chmod 755 {} +
install -m 755 "$HERE/postinst" "$STAGE/DEBIAN/postinst"
install -m 755 "$HERE/postrm" "$STAGE/DEBIAN/postrm"
echo /etc/hejie/hejie.ini > "$STAGE/DEBIAN/conffiles"
SIZE_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<EOF
Package: hejie
Version: $VERSION
Architecture: $ARCH
Maintainer: Hejie project <hejie@localhost>
Installed-Size: $SIZE_KB
Depends: $DEPENDS_LINE
Section: misc
Priority: optional
Description: 和解台 — consumer-complaint handling for complaint offices
 Offline consumer-complaint handling for Jiangsu's enterprise complaint
 stations and market-supervision sub-bureaus: register, accept, mediate and
 close complaints on the legal time limits, print the forms, sync with the
 district hub. hejie opens the window; hejie-admin is the administrators'
 command line. The program brings its own Python, Qt and Chinese fonts
 (in /opt/hejie); the data of every user of this PC is in /var/lib/hejie
 (group hejie).
EOF

step "dpkg-deb -> $DEB"
mkdir -p "$OUT"
start=$SECONDS
# xz: the smallest, and every dpkg reads it (zstd only from dpkg 1.21.18: not older UOS/Kylin).
# DEB_COMPRESSION=gzip packs in a fraction of the time, for trying things out.
# xz is most of the packing time (~130 s of one core for 250 MB): every core where dpkg-deb can.
THREADS=()
dpkg-deb --help | grep -q -- '--threads-max' && THREADS=(--threads-max="$(nproc)")
dpkg-deb --root-owner-group "${THREADS[@]}" -Z"${DEB_COMPRESSION:-xz}" --build "$STAGE" "$DEB"
echo "dpkg-deb took $((SECONDS - start)) s"
echo "bundle: $(du -sh "$BUNDLE" | cut -f1) ($(du -sk "$BUNDLE" | cut -f1) KiB); .deb: $(du -h "$DEB" | cut -f1) ($(stat -c %s "$DEB") bytes); glibc floor: $GLIBC"
echo "$DEB"
