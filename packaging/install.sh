#!/bin/sh
# statdesk 离线安装：只用本目录的文件和工作站自带的 python3，不访问网络。
# statdesk offline installer: only the files beside it and the workstation's python3.
#
#   sh install.sh [--prefix 目录DIR] [--bin-dir 目录DIR] [--python PYTHON]   安装或升级 / install or upgrade
#   sh install.sh --uninstall [--prefix 目录DIR] [--bin-dir 目录DIR]         卸载（数据保留）/ uninstall (data stays)
set -eu

VERSION="@VERSION@"
PREFIX=/opt/statdesk
BINDIR=/usr/local/bin
PY=python3
ACTION=install
MARK=.statdesk-prefix

say() { printf '%s\n' "$1"; }
fail() { printf 'install.sh: %s\n' "$1" >&2; [ $# -gt 1 ] && printf 'install.sh: %s\n' "$2" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || fail "--prefix 需要一个目录" "--prefix needs a folder"; PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        --bin-dir) [ $# -ge 2 ] || fail "--bin-dir 需要一个目录" "--bin-dir needs a folder"; BINDIR=$2; shift 2 ;;
        --bin-dir=*) BINDIR=${1#--bin-dir=}; shift ;;
        --python) [ $# -ge 2 ] || fail "--python 需要一个程序" "--python needs a program"; PY=$2; shift 2 ;;
        --python=*) PY=${1#--python=}; shift ;;
        --uninstall) ACTION=uninstall; shift ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) fail "不认识的选项：$1（见 --help）" "unknown option: $1 (see --help)" ;;
    esac
done

# Only this folder's wheels and this Python's own library: no pip or Python settings from
# the environment (an inherited PIP_FIND_LINKS or PYTHONPATH could bring in other code).
for name in $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p; s/^\(PYTHON[A-Z_]*\)=.*/\1/p'); do
    unset "$name"
done

# Folders: absolute, plain characters (they are written into the launcher), never / itself.
for folder in "$PREFIX" "$BINDIR"; do
    case "$folder" in
        /*) ;;
        *) fail "目录须为绝对路径：「$folder」" "folders must be absolute paths: \"$folder\"" ;;
    esac
    case "$folder" in
        *[!A-Za-z0-9._/+-]*) fail "目录名只能含字母、数字和 . _ / + -：「$folder」" \
                                  "folder names may hold only letters, digits and . _ / + -: \"$folder\"" ;;
    esac
done
PREFIX=${PREFIX%/}
BINDIR=${BINDIR%/}
[ -n "$PREFIX" ] && [ -n "$BINDIR" ] || fail "不能使用根目录 /" "the root folder / cannot be used"
HERE=$(cd "$(dirname "$0")" && pwd)
LAUNCHER="$BINDIR/statdesk"

ours() { [ -f "$1" ] && grep -q "statdesk launcher" "$1" 2>/dev/null; }
installed() { [ -f "$PREFIX/$MARK" ] && grep -E '^[0-9][A-Za-z0-9.+-]*$' "$PREFIX/$MARK" || true; }
forget() {  # drop a folder's name from the list of what this prefix holds
    grep -vxF "$1" "$PREFIX/$MARK" > "$PREFIX/$MARK.new" || true
    mv -f "$PREFIX/$MARK.new" "$PREFIX/$MARK"
}

if [ -e "$PREFIX" ] && [ ! -f "$PREFIX/$MARK" ] && [ -n "$(ls -A "$PREFIX" 2>/dev/null)" ]; then
    fail "$PREFIX 不是空目录，也不是 statdesk 的安装目录：未做任何改动；请指定新目录，如 /opt/statdesk" \
         "$PREFIX is neither empty nor a statdesk installation: nothing was changed; name a new folder, such as /opt/statdesk"
fi

if [ "$ACTION" = uninstall ]; then
    [ -f "$PREFIX/$MARK" ] || fail "$PREFIX 中没有 statdesk，未删除任何文件" \
                                   "there is no statdesk in $PREFIX; nothing was removed"
    for name in $(installed); do
        rm -rf "${PREFIX:?}/$name"
    done
    rm -f "$PREFIX/current" "$PREFIX/$MARK"
    rmdir "$PREFIX" 2>/dev/null || say "$PREFIX 中还有其他文件，已保留 / $PREFIX holds other files and was kept"
    if ours "$LAUNCHER"; then rm -f "$LAUNCHER"; fi
    say "已卸载 statdesk（$PREFIX，$LAUNCHER）。数据目录未动：各用户的 ~/.local/share/statdesk 仍在。"
    say "statdesk is uninstalled ($PREFIX, $LAUNCHER). The data folders are untouched: each user's ~/.local/share/statdesk is still there."
    exit 0
fi

if [ -e "$LAUNCHER" ] && ! ours "$LAUNCHER"; then
    fail "$LAUNCHER 已存在且不是 statdesk 的启动脚本：未做任何改动；请用 --bin-dir 指定其他目录" \
         "$LAUNCHER exists and is not statdesk's launcher: nothing was changed; name another folder with --bin-dir"
fi

# 1. Python 3.11 or newer, with venv, on glibc 2.28 or newer.
command -v "$PY" >/dev/null 2>&1 || fail \
    "找不到 $PY：statdesk 需要 Python 3.11 或更高版本；没有时请用 frozen 版（statdesk-$VERSION-linux-*-frozen.tar.gz）" \
    "$PY not found: statdesk needs Python 3.11 or newer; without it, use the frozen build (statdesk-$VERSION-linux-*-frozen.tar.gz)"
FOUND=$("$PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo "?")
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || fail \
    "statdesk 需要 Python 3.11 或更高版本，此计算机的 $PY 是 $FOUND；请用 frozen 版（statdesk-$VERSION-linux-*-frozen.tar.gz），或用 --python 指定较新的 Python" \
    "statdesk needs Python 3.11 or newer; $PY here is $FOUND. Use the frozen build (statdesk-$VERSION-linux-*-frozen.tar.gz), or name a newer Python with --python"
SHORT=$("$PY" -I -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$PY" -I -c 'import venv, ensurepip' 2>/dev/null || fail \
    "$PY 缺少 venv 模块：请从系统安装介质安装 python3-venv（Debian/麒麟/统信：python3-venv 或 python$SHORT-venv）" \
    "$PY has no venv module: install python3-venv from the system's installation media (Debian/Kylin/UOS: python3-venv or python$SHORT-venv)"
LIBC=$("$PY" -I -c 'import os; print((os.confstr("CS_GNU_LIBC_VERSION") or "?").split()[-1])')
"$PY" -I -c 'import os, sys; v = (os.confstr("CS_GNU_LIBC_VERSION") or "glibc 0.0").split()[-1]
sys.exit(0 if tuple(map(int, v.split(".")[:2])) >= (2, 28) else 1)' 2>/dev/null || fail \
    "statdesk 需要 glibc 2.28 或更高版本，此计算机是 $LIBC" "statdesk needs glibc 2.28 or newer; this machine has $LIBC"
TAG=$(echo "cp$SHORT" | tr -d .)
ls "$HERE"/wheels/*-"$TAG"-*.whl >/dev/null 2>&1 || fail \
    "本包只含 Python 3.11、3.12、3.13 的组件，没有 $FOUND 的：请用 --python 指定其中之一，或用 frozen 版" \
    "this bundle has no wheels for Python $FOUND (it holds 3.11, 3.12 and 3.13): name one of those with --python, or use the frozen build"

# 2. Every file is the one that was packed, and nothing was added.
say "检查文件校验和 / checking the files' SHA-256 sums ..."
(cd "$HERE" && "$PY" -I - <<'EOF'
import hashlib, os, sys
listed, bad = set(), []
for line in open("SHA256SUMS", encoding="utf-8"):
    digest, name = line.rstrip("\n").split("  ", 1)
    listed.add(name)
    try:
        with open(name, "rb") as handle:
            ok = hashlib.sha256(handle.read()).hexdigest() == digest
    except OSError:
        ok = False
    if not ok:
        bad.append(name)
bad += sorted(f"wheels/{n}" for n in os.listdir("wheels") if f"wheels/{n}" not in listed)
if bad:
    print("install.sh: 校验和不符（文件被改动、增加或不完整），未安装 / checksum mismatch (files "
          "changed, added or incomplete), nothing installed: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
) || exit 1

# 3. A new folder for this installation; `current` and the launcher move only once it works.
mkdir -p "$PREFIX" "$BINDIR" || fail "不能创建 $PREFIX 或 $BINDIR（需要 root？可用 --prefix 和 --bin-dir）" \
    "cannot create $PREFIX or $BINDIR (root needed? see --prefix and --bin-dir)"
[ -f "$PREFIX/$MARK" ] || printf '# statdesk installations in this folder (install.sh)\n' > "$PREFIX/$MARK"
chmod 755 "$PREFIX"
PREVIOUS=""
[ -L "$PREFIX/current" ] && PREVIOUS=$(readlink "$PREFIX/current")
for name in $(installed); do  # what an interrupted install left behind
    if [ "$name" != "$PREVIOUS" ] && [ ! -f "$PREFIX/$name/.complete" ]; then
        rm -rf "${PREFIX:?}/$name"
        forget "$name"
    fi
done
NAME="$VERSION-$(date +%Y%m%dT%H%M%S)"
TARGET="$PREFIX/$NAME"
printf '%s\n' "$NAME" >> "$PREFIX/$MARK"
undo() {
    rm -rf "$TARGET"
    forget "$NAME"
    fail "$1" "$2"
}
trap 'undo "安装被中断，原有版本未变" "the installation was interrupted; the installed version is unchanged"' INT TERM HUP
say "安装 statdesk $VERSION 到 $TARGET / installing statdesk $VERSION into $TARGET ..."
"$PY" -I -m venv "$TARGET" || undo "不能创建虚拟环境，原有版本未变" \
    "cannot create the virtual environment; the installed version is unchanged"
PIP_CONFIG_FILE=/dev/null PIP_NO_INPUT=1 "$TARGET/bin/python" -I -m pip install --quiet \
    --no-index --find-links "$HERE/wheels" --only-binary=:all: --no-cache-dir \
    --disable-pip-version-check "statdesk==$VERSION" \
    || undo "安装失败，原有版本未变" "the installation failed; the installed version is unchanged"
CHECK_DIR=$(mktemp -d)
if ! "$TARGET/bin/statdesk" selfcheck --data-dir "$CHECK_DIR/data"; then
    rm -rf "$CHECK_DIR"
    undo "自检未通过，原有版本未变" "the self-check failed; the installed version is unchanged"
fi
rm -rf "$CHECK_DIR"
chmod -R go-w,a+rX "$TARGET"
touch "$TARGET/.complete"
ln -sfn "$NAME" "$PREFIX/current.new" && mv -T "$PREFIX/current.new" "$PREFIX/current"
trap - INT TERM HUP

cat > "$LAUNCHER.new" <<EOF
#!/bin/sh
# statdesk launcher, written by install.sh; \`sh install.sh --uninstall\` removes it.
exec "$PREFIX/current/bin/statdesk" "\$@"
EOF
chmod 755 "$LAUNCHER.new"
mv -f "$LAUNCHER.new" "$LAUNCHER"
for name in $(installed); do  # the same version installed before: replaced by this one
    case "$name" in
        "$NAME") ;;
        "$VERSION"-*) rm -rf "${PREFIX:?}/$name"; forget "$name" ;;
    esac
done

say ""
"$LAUNCHER" --version
say ""
say "已安装：程序在 $TARGET，命令 $LAUNCHER。"
say "Installed: the program is in $TARGET, the command is $LAUNCHER."
OLD=${PREVIOUS%-*}
if [ -n "$PREVIOUS" ] && [ "$OLD" != "$VERSION" ]; then
    say "已从 $OLD 升级；旧版本保留在 $PREFIX/$PREVIOUS。若数据库结构需要升级，首次登录时 statdesk 先写入并校验安全备份，再升级。"
    say "Upgraded from $OLD; the old version stays in $PREFIX/$PREVIOUS. If the store's schema is older, the first login writes and verifies a safety backup before it upgrades the store."
elif [ -z "$PREVIOUS" ]; then
    say "下一步：以使用 statdesk 的用户身份运行 statdesk（首次运行会引导建库并显示恢复码）。"
    say "Next: as the user who will work with it, run statdesk (the first run creates the store and shows the recovery code)."
fi
case ":$PATH:" in
    *":$BINDIR:"*) ;;
    *) say "注意：$BINDIR 不在 PATH 中 / note: $BINDIR is not on the PATH" ;;
esac
