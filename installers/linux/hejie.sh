#!/bin/sh
# /usr/bin/hejie: starts 和解台's window from /opt/hejie (the program brings its own Python and
# Qt; /opt/hejie/hejie.ini -> /etc/hejie/hejie.ini says where the data is).
#
# Chinese input: the bundled Qt carries the ibus input-method plugin but not fcitx's, which is
# built against the system's Qt and cannot load into another one. fcitx5 (UOS, Kylin, Ubuntu
# Kylin, Debian's default for Chinese) also answers the ibus protocol, so a session set up for
# fcitx is pointed at the ibus plugin. Set HEJIE_KEEP_IM_MODULE=1 to keep QT_IM_MODULE as it is.
case "${QT_IM_MODULE:-}" in
  fcitx*) [ -n "${HEJIE_KEEP_IM_MODULE:-}" ] || export QT_IM_MODULE=ibus ;;
esac
exec /opt/hejie/hejie "$@"
