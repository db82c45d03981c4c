"""Uploads to the dashboards (上传): the page's limit and the server's agree, and every file that is too big,
packed to explode, mislabelled or empty gets one message in the page instead of a dropped connection or a
kernel held for minutes."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from leaderkit.app import serve
from leaderkit.app.upload import UPLOAD_LIMIT_BYTES, WEBSOCKET_MAX_BYTES
from leaderkit.app.views import UploadError, read_upload
from leaderkit.standards.loading import InputError, problems

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def zip_bomb(unpacked: int) -> bytes:
    """A small .xlsx whose one sheet unpacks to `unpacked` bytes of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * (1 << 20)
            for _ in range(unpacked >> 20):
                sheet.write(block)
    return buf.getvalue()


def test_the_servers_websocket_limit_follows_the_upload_limit():
    assert WEBSOCKET_MAX_BYTES > UPLOAD_LIMIT_BYTES
    assert "WEBSOCKET_MAX_BYTES" in Path(serve.__file__).read_text(encoding="utf-8")


def test_a_zip_bomb_under_the_upload_limit_is_refused_before_it_is_opened():
    bomb = zip_bomb(400 << 20)
    assert len(bomb) < UPLOAD_LIMIT_BYTES  # passes a check on the packed size
    started = time.perf_counter()
    with pytest.raises((InputError, UploadError), match="200") as err:
        read_upload("标准.xlsx", bomb)
    assert time.perf_counter() - started < 10
    assert "标准.xlsx" in str(err.value)


def test_an_upload_over_the_limit_says_so():
    with pytest.raises(UploadError, match="超过上限 20 MB"):
        read_upload("big.csv", b"x" * (UPLOAD_LIMIT_BYTES + 1))


@pytest.mark.parametrize("name, content, words", [
    ("empty.csv", b"", "空"),
    ("header.csv", "标准编号,领域,指标名称,指标要求\n".encode(), "header.csv"),
    ("picture.csv", b"\x89PNG\r\n\x1a\n" + bytes(64), "picture.csv"),
    ("sheet.xlsx", "标准编号,领域\n".encode(), "sheet.xlsx"),
    ("notes.pdf", b"%PDF-1.4", "不支持"),
])
def test_a_broken_upload_is_one_message_naming_the_file(name, content, words):
    with pytest.raises((InputError, UploadError)) as err:
        read_upload(name, content)
    assert words in str(err.value) and "Traceback" not in str(err.value)


def test_a_gbk_upload_reads_with_its_bad_row_listed():
    df = read_upload("standards_gbk.csv", (SAMPLE / "standards_gbk.csv").read_bytes())
    assert df["standard_id"].nunique() == 30 and df.attrs["encoding"] == "gb18030"
    assert problems(df)["row"].tolist() == [18]
