"""The bare Linux text console (TERM=linux) has no Chinese glyphs: say so before the app starts.

The kernel's console draws at most 512 glyphs, none of them Chinese, so a Chinese
screen there is rows of blanks and diamonds. Under fbterm with a CJK font (which
sets TERM=fbterm, as the README asks) or in a terminal emulator Chinese is drawn;
`--lang en` works on the bare console as it is. An explicit `--lang zh` is taken
as "I know this console draws Chinese" and starts the app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CJK_TERMINALS = ("fbterm", "kmscon", "zhcon", "jfbterm")
"""Programs that draw Chinese on the console; one of them above us means TERM=linux is theirs."""

MESSAGE = (
    "statdesk: 此控制台（TERM=linux）不能显示中文。请从系统安装介质安装 fbterm 和 "
    "fonts-wqy-zenhei，把用户加入 video 组，然后运行 fbterm -- env TERM=fbterm statdesk；"
    "或在图形终端中运行；也可以使用英文界面：statdesk --lang en"
    " / This console (TERM=linux) cannot show Chinese: install fbterm and fonts-wqy-zenhei"
    " from the system's installation media, add the user to the video group, then run"
    " fbterm -- env TERM=fbterm statdesk; or use a terminal emulator, or English:"
    " statdesk --lang en"
)


def _ancestors(proc: Path, limit: int = 12) -> list[str]:
    """The command names of this process's parents, nearest first (Linux /proc)."""
    names: list[str] = []
    pid = os.getppid()
    for _step in range(limit):
        if pid <= 1:
            break
        try:
            stat = (proc / str(pid) / "stat").read_text()
        except OSError:
            break
        # "pid (comm) state ppid …": comm may hold spaces and parentheses
        names.append(stat[stat.find("(") + 1:stat.rfind(")")])
        fields = stat[stat.rfind(")") + 2:].split()
        pid = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0
    return names


def cannot_draw_chinese(environ: Mapping[str, str] | None = None,
                        proc: Path = Path("/proc")) -> bool:
    """True on the kernel's own console (TERM=linux, no CJK terminal program above us)."""
    env = os.environ if environ is None else environ
    if env.get("TERM") != "linux":
        return False
    return not any(name in CJK_TERMINALS for name in _ancestors(proc))
