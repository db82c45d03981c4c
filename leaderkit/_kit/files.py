"""Writing output files atomically (原子写入), with clear errors about the path.

Every file leaderkit writes (workbooks, YAML, JSON, caches, Parquet) goes through `atomic_path`: the
content is written to a temporary file in the target's folder and then renamed over the target, so a
reader never sees half a file and a failed write leaves the previous file as it was. The new file gets
the permissions an ordinary file of the user would get (0666 less the umask), not the 0600 of a
temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from leaderkit._kit.i18n import LeaderkitError, Text


class OutputError(LeaderkitError, ValueError):
    """An output path that cannot be written (输出文件无法写入)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_output(path, *, inputs: Iterable = (), create_parents: bool = False) -> Path:
    """The output path, checked: not a folder, its folder exists (or is created), not one of `inputs`."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise OutputError(f"输出路径是一个文件夹：{path}", f"the output path is a folder: {path}",
                          where=str(path), hint=Text("给出文件名，例如 结果.xlsx", "give a file name, e.g. result.xlsx"))
    if not path.parent.exists():
        if create_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise OutputError(f"输出文件夹不存在：{path.parent}", f"output folder does not exist: {path.parent}",
                              where=str(path), hint=Text("先创建该文件夹，或换一个路径", "create the folder or choose another path"))
    for source in inputs:
        if source is None or not isinstance(source, str | os.PathLike):
            continue
        src = Path(source).expanduser()
        if src.exists() and path.exists() and os.path.samefile(src, path):
            raise OutputError(f"输出文件与输入文件相同：{path}", f"the output file is an input file: {path}",
                              where=str(path), hint=Text("换一个输出文件名，输入文件不会被改动",
                                                         "choose another output name; inputs are never overwritten"))
    return path


@contextmanager
def atomic_path(path, *, suffix: str = ".tmp", inputs: Iterable = (), create_parents: bool = False) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed over `path` when the block ends without error.

        with atomic_path("out.xlsx", suffix=".xlsx") as tmp:
            workbook.save(tmp)
    """
    path = check_output(path, inputs=inputs, create_parents=create_parents)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 中写入：{exc.strerror}", f"cannot write in {path.parent}: {exc.strerror}",
                          where=str(path), hint=Text("检查文件夹的写权限", "check the folder's write permission")) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path, data: bytes, **kwargs) -> Path:
    """Write bytes to `path` atomically; returns the path."""
    with atomic_path(path, **kwargs) as tmp:
        tmp.write_bytes(data)
    return Path(path).expanduser()


def write_text(path, text: str, **kwargs) -> Path:
    """Write UTF-8 text to `path` atomically; returns the path."""
    return write_bytes(path, text.encode("utf-8"), **kwargs)
