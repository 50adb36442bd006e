#!/bin/sh
# statdesk 离线安装 / offline installer.
# Uses only the files beside it and the workstation's own python3; never touches the network.
#
#   sh install.sh [--prefix DIR] [--bin-dir DIR] [--python PYTHON]   install or upgrade
#   sh install.sh --uninstall [--prefix DIR] [--bin-dir DIR]          remove the program (data stays)
set -eu

VERSION="@VERSION@"
PREFIX=/opt/statdesk
BINDIR=/usr/local/bin
PYTHON=python3
ACTION=install

say() { printf '%s\n' "$1"; }
fail() { printf 'install.sh: %s\n' "$1" >&2; [ $# -gt 1 ] && printf 'install.sh: %s\n' "$2" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || fail "--prefix 需要一个目录" "--prefix needs a folder"; PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        --bin-dir) [ $# -ge 2 ] || fail "--bin-dir 需要一个目录" "--bin-dir needs a folder"; BINDIR=$2; shift 2 ;;
        --bin-dir=*) BINDIR=${1#--bin-dir=}; shift ;;
        --python) [ $# -ge 2 ] || fail "--python 需要一个程序" "--python needs a program"; PYTHON=$2; shift 2 ;;
        --python=*) PYTHON=${1#--python=}; shift ;;
        --uninstall) ACTION=uninstall; shift ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) fail "不认识的选项：$1（见 --help）" "unknown option: $1 (see --help)" ;;
    esac
done

case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
case "$BINDIR" in /*) ;; *) BINDIR="$(pwd)/$BINDIR" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
# Only this folder's wheels and only this Python's own library: no pip or Python settings
# from the environment (an inherited PIP_FIND_LINKS or PYTHONPATH could bring in other code).
for name in $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p; s/^\(PYTHON[A-Z_]*\)=.*/\1/p'); do
    unset "$name"
done
LAUNCHER="$BINDIR/statdesk"

if [ "$ACTION" = uninstall ]; then
    if [ -f "$LAUNCHER" ] && grep -q "statdesk launcher" "$LAUNCHER" 2>/dev/null; then
        rm -f "$LAUNCHER"
    fi
    if [ -f "$PREFIX/.statdesk-prefix" ]; then
        rm -rf "$PREFIX"
    elif [ -e "$PREFIX" ]; then
        fail "$PREFIX 不是 statdesk 的安装目录，未删除任何文件" \
             "$PREFIX is not a statdesk installation; nothing was removed"
    fi
    say "已卸载 statdesk（$PREFIX，$LAUNCHER）。数据目录未动：各用户的 ~/.local/share/statdesk 仍在。"
    say "statdesk is uninstalled ($PREFIX, $LAUNCHER). The data folders are untouched: each user's ~/.local/share/statdesk is still there."
    exit 0
fi

# 1. Python 3.11 or newer, with venv.
command -v "$PYTHON" >/dev/null 2>&1 || fail \
    "找不到 $PYTHON：statdesk 需要 Python 3.11 或更高版本；没有时请用 frozen 版（statdesk-$VERSION-linux-*-frozen.tar.gz）" \
    "$PYTHON not found: statdesk needs Python 3.11 or newer; without it, use the frozen build (statdesk-$VERSION-linux-*-frozen.tar.gz)"
FOUND=$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo "?")
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || fail \
    "statdesk 需要 Python 3.11 或更高版本，此计算机的 $PYTHON 是 $FOUND；请用 frozen 版（statdesk-$VERSION-linux-*-frozen.tar.gz），或用 --python 指定较新的 Python" \
    "statdesk needs Python 3.11 or newer; $PYTHON here is $FOUND. Use the frozen build (statdesk-$VERSION-linux-*-frozen.tar.gz), or name a newer Python with --python"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || fail \
    "$PYTHON 缺少 venv 模块：请从系统安装介质安装 python3-venv（Debian/麒麟/统信：python3-venv 或 python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv）" \
    "$PYTHON has no venv module: install python3-venv from the system's installation media (Debian/Kylin/UOS: python3-venv or python$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv)"
TAG=$("$PYTHON" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')
ls "$HERE"/wheels/*-"$TAG"-*.whl >/dev/null 2>&1 || fail \
    "此包没有 Python $FOUND 的组件（含 3.11、3.12、3.13），请用 --python 指定其中之一，或用 frozen 版" \
    "this bundle has no wheels for Python $FOUND (it holds 3.11, 3.12 and 3.13): name one of those with --python, or use the frozen build"

# 2. Every file is the one that was packed.
say "检查文件校验和 / checking the files' SHA-256 sums ..."
(cd "$HERE" && "$PYTHON" - <<'EOF'
import hashlib, sys
bad = []
for line in open("SHA256SUMS", encoding="utf-8"):
    digest, name = line.rstrip("\n").split("  ", 1)
    try:
        with open(name, "rb") as handle:
            ok = hashlib.sha256(handle.read()).hexdigest() == digest
    except OSError:
        ok = False
    if not ok:
        bad.append(name)
if bad:
    print("install.sh: 校验和不符（文件被改动或不完整），未安装 / checksum mismatch (files changed or "
          "incomplete), nothing installed: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
) || exit 1

# 3. A fresh virtual environment for this version; the launcher moves only when it works.
mkdir -p "$PREFIX" "$BINDIR" || fail "不能创建 $PREFIX 或 $BINDIR（需要 root？可用 --prefix 和 --bin-dir）" \
    "cannot create $PREFIX or $BINDIR (root needed? see --prefix and --bin-dir)"
touch "$PREFIX/.statdesk-prefix"
TARGET="$PREFIX/$VERSION"
PREVIOUS=""
[ -L "$PREFIX/current" ] && PREVIOUS=$(readlink "$PREFIX/current")
say "安装 statdesk $VERSION 到 $TARGET / installing statdesk $VERSION into $TARGET ..."
rm -rf "$TARGET.old"
[ -e "$TARGET" ] && mv "$TARGET" "$TARGET.old"
undo() {
    rm -rf "$TARGET"
    [ -e "$TARGET.old" ] && mv "$TARGET.old" "$TARGET"
    fail "$1" "$2"
}
"$PYTHON" -m venv "$TARGET" || undo "不能创建虚拟环境，原有版本未变" \
    "cannot create the virtual environment; the installed version is unchanged"
PIP_CONFIG_FILE=/dev/null PIP_NO_INPUT=1 "$TARGET/bin/python" -m pip install --quiet \
    --no-index --find-links "$HERE/wheels" --only-binary=:all: --no-cache-dir \
    --disable-pip-version-check "statdesk==$VERSION" \
    || undo "安装失败，原有版本未变" "the installation failed; the installed version is unchanged"
CHECK_DIR=$(mktemp -d)
if ! "$TARGET/bin/statdesk" selfcheck --data-dir "$CHECK_DIR/data"; then
    rm -rf "$CHECK_DIR"
    undo "自检未通过，原有版本未变" "the self-check failed; the installed version is unchanged"
fi
rm -rf "$CHECK_DIR" "$TARGET.old"
ln -sfn "$VERSION" "$PREFIX/current.new" && mv -T "$PREFIX/current.new" "$PREFIX/current"

cat > "$LAUNCHER.new" <<EOF
#!/bin/sh
# statdesk launcher, written by install.sh; \`sh install.sh --uninstall\` removes it.
exec "$PREFIX/current/bin/statdesk" "\$@"
EOF
chmod 755 "$LAUNCHER.new"
mv -f "$LAUNCHER.new" "$LAUNCHER"
chmod -R go-w "$PREFIX"
chmod -R a+rX "$PREFIX"

say ""
"$LAUNCHER" --version
say ""
say "已安装：程序在 $TARGET，命令 $LAUNCHER。"
say "Installed: the program is in $TARGET, the command is $LAUNCHER."
if [ -n "$PREVIOUS" ] && [ "$PREVIOUS" != "$VERSION" ]; then
    say "已从 $PREVIOUS 升级；旧版本保留在 $PREFIX/$PREVIOUS。若数据库结构需要升级，首次登录时 statdesk 先写入并校验安全备份，再升级。"
    say "Upgraded from $PREVIOUS; the old version stays in $PREFIX/$PREVIOUS. If the store's schema is older, the first login writes and verifies a safety backup before it upgrades the store."
else
    say "下一步：以使用 statdesk 的用户身份运行 statdesk（首次运行会引导建库并显示恢复码）。"
    say "Next: as the user who will work with it, run statdesk (the first run creates the store and shows the recovery code)."
fi
case ":$PATH:" in
    *":$BINDIR:"*) ;;
    *) say "注意：$BINDIR 不在 PATH 中 / note: $BINDIR is not on the PATH" ;;
esac
