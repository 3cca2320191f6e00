"""The CSV loader: encodings, delimiters, HXL rows, line numbers, malformed rows and whole-file refusals."""

from __future__ import annotations

import io
import zipfile

import pytest

from geo.errors import InputError
from geo.readers import load_csv


def test_utf8_bom_semicolon_hxl_and_quoted_newlines_keep_physical_line_numbers(write):
    path = write(
        "a.csv",
        "\ufeffid;name;value\n#id;#name;#value\n1;\"two\nlines\";3\n2;short\n\n3;\"q\nr\ns\";4;5\n4;é;6\n",
    )
    table = load_csv(path)
    assert table.encoding == "utf-8"
    assert table.delimiter == ";"
    assert table.hxl_row
    assert table.header == ["id", "name", "value"]
    assert table.data["id"].tolist() == ["1", "4"]
    assert table.lines.tolist() == [3, 10]
    assert [(r.line, "2 fields" in r.reason) for r in table.malformed] == [(5, True), (7, False)]
    assert "4 fields" in table.malformed[1].reason
    assert table.rows_read == 4  # two good, two malformed; the blank line is neither
    assert any("blank" in n for n in table.notes)


def test_latin1_file_with_trailing_empty_header_columns(write):
    path = write("b.csv", "id,name,v,,\n1,déjà,3,,\n2,Ségou,4,,\n", encoding="cp1252")
    table = load_csv(path)
    assert table.encoding in ("cp1252", "latin-1")
    assert table.data["name"].tolist() == ["déjà", "Ségou"]
    assert table.rows_read == 2
    assert any("empty column names" in n for n in table.notes)


def test_utf16_with_bom(write):
    path = write("c.csv", "id\tname\n1\tTillabéri\n".encode("utf-16"))
    table = load_csv(path)
    assert table.delimiter == "\t"
    assert table.data["name"].tolist() == ["Tillabéri"]


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"\n\n  \n", "blank"),
        (_xlsx_bytes(), "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel"),
        (b"<!DOCTYPE html>\n<html><body>Login</body></html>", "HTML"),
        (b"  <html><head></head></html>", "HTML"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
        (b"%PDF-1.4 ...", "PDF"),
        (b"onlyonecolumn\nvalue\n", "single column"),
    ],
)
def test_whole_file_problems_are_refused_with_the_file_name(write, content, expected):
    path = write("upload.csv", content)
    with pytest.raises(InputError) as info:
        load_csv(path)
    assert "upload.csv" in str(info.value)
    assert expected.lower() in str(info.value).lower()


def test_size_limit(write):
    path = write("big.csv", "a,b\n" + "1,2\n" * 1000)
    with pytest.raises(InputError, match="over the limit"):
        load_csv(path, max_bytes=100)


def test_header_only_file_is_refused_by_the_reader(write):
    from geo.readers import read_events

    with pytest.raises(InputError, match="header but no data rows"):
        read_events(write("h.csv", "event_id_cnty,event_date,event_type,country,latitude,longitude,fatalities\n"))


def test_line_numbers_with_crlf_and_no_final_newline(write):
    table = load_csv(write("d.csv", "a,b\r\n1,2\r\n3,4\r\n5,6"))
    assert table.lines.tolist() == [2, 3, 4]
    assert table.data["b"].tolist() == ["2", "4", "6"]
