"""The plumbing every register shares (登记簿的公共部分): a DuckDB file that must exist unless it is
being created, transactions that nest, and frames with plain dates.

The title register and the round register are append-only event tables written in transactions; both
open their file through `EventStore`, so a missing path, a file that is not a DuckDB file and a busy file
are refused the same way, and a batch of writes is one transaction in both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text


class EventStore:
    """A DuckDB register file: `error` is the register's error class, `what` its name in messages,
    `missing_hint` what to do when the file does not exist, `foreign_hint` when it is not a register."""

    error: type[LeaderkitError] = LeaderkitError
    what = Text("登记簿", "register")

    def __init__(self, path: str | Path, *, create: bool, missing_hint: Text, foreign_hint: Text | None = None,
                 refuse_existing: bool = False):
        import duckdb

        self.path = str(path)
        if self.path != ":memory:":
            self._check_file(Path(self.path).expanduser(), create, missing_hint, foreign_hint, refuse_existing)
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path)
        except duckdb.Error as exc:
            raise self.error(f"无法打开{self.what.zh} {self.path}：{exc}", f"cannot open the {self.what.en} {self.path}: {exc}",
                             hint=Text("检查路径，或是否有其他程序正占用该文件",
                                       "check the path, or whether another program holds the file")) from None
        self._depth = 0

    def _check_file(self, path: Path, create: bool, missing_hint: Text, foreign_hint: Text | None,
                    refuse_existing: bool) -> None:
        if not path.exists():
            if create:
                return
            raise self.error(f"{self.what.zh}不存在：{path}", f"no {self.what.en} at {path}", where=str(path),
                             hint=missing_hint)
        if create and refuse_existing:
            raise self.error(f"{path} 已存在，不能再新建", f"{path} exists already", where=str(path),
                             hint=Text("打开已有登记簿时不要加 create", "open an existing register without create"))
        head = b""
        if not path.is_dir():
            with path.open("rb") as fh:
                head = fh.read(12)
        if head[8:12] != b"DUCK":
            raise self.error(f"{path} 不是{self.what.zh}（DuckDB 文件）", f"{path} is not a {self.what.en} (a DuckDB file)",
                             where=str(path), hint=foreign_hint)

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator:
        """One transaction; a transaction opened inside another joins it (a batch of writes is all or none)."""
        if self._depth:
            self._depth += 1
            try:
                yield self._con
            finally:
                self._depth -= 1
            return
        self._con.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        self._con.execute("COMMIT")

    def _frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """A query's result with dates as plain dates (the record time stays a timestamp)."""
        df = self._con.execute(sql, params or []).fetchdf()
        for col in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[col]) and col != "recorded_at":
                df[col] = df[col].dt.date
        return df
