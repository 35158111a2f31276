#!/usr/bin/env sh
# System packages the project's tests need: Debian's Chromium (the report pages are checked in a real
# browser), CJK fonts (the doc's Chinese text renders in screenshots) and xmllint (the JUnit XML must
# pass a strict XML parser, hostile bytes and all) and tmux (live progress is read back from a real
# terminal with capture-pane). Idempotent; needs root or sudo.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
[ -x /usr/bin/xmllint ] || missing="$missing libxml2-utils"
[ -x /usr/bin/tmux ] || missing="$missing tmux"
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
