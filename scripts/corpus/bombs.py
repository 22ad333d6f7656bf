#!/usr/bin/env python3
"""Compression bombs for the format check's budget tests, made from a committed corpus paper.

usage: bombs.py [BASE.pdf] [OUT.pdf]
  (defaults: tests/fixtures/papers/pdf_pass_two_pages.pdf ->
             tests/fixtures/papers/pdf_partly_content_bomb.pdf)

Appends an incremental update (PDF 32000-1 §7.5.6) to BASE that gives page 1 a second content
stream of 80 MiB of blanks, about 80 KB once compressed: more than one stream may unpack to
(64 MiB), so the check reads what the budget allows and says "checked partly". The paper itself
is unchanged (it passes), so the label is pass + checked_partly by construction. Needs qpdf
(to find page 1 and its dictionary); the other bomb of the corpus (XMP metadata, 180 MiB) is made
by make_corpus.py through pdfTeX.
"""
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLANKS = 80 << 20


def qpdf_json(path, *args):
    out = subprocess.run(["qpdf", "--json=2", *args, str(path)], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def pdf_value(value):
    """qpdf JSON v2 value -> PDF syntax (enough for a page dictionary)."""
    if isinstance(value, dict):
        return "<<" + " ".join(f"{k} {pdf_value(v)}" for k, v in value.items()) + ">>"
    if isinstance(value, list):
        return "[" + " ".join(pdf_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str) and value.startswith("u:"):
        return "(" + value[2:].replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return str(value)


def main():
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        ROOT / "tests/fixtures/papers/pdf_pass_two_pages.pdf"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else \
        ROOT / "tests/fixtures/papers/pdf_partly_content_bomb.pdf"
    data = base.read_bytes()
    page_ref = qpdf_json(base, "--json-key=pages")["pages"][0]["object"]
    number = int(page_ref.split()[0])
    info = qpdf_json(base, "--json-key=qpdf", f"--json-object={number}")["qpdf"]
    size = info[0]["maxobjectid"] + 1
    page = dict(info[1][f"obj:{page_ref}"]["value"])
    contents = page["/Contents"]
    page["/Contents"] = (contents if isinstance(contents, list) else [contents]) + \
        [f"{size} 0 R"]
    trailer = subprocess.run(["qpdf", "--show-object=trailer", str(base)], capture_output=True,
                             text=True, check=True).stdout
    root = re.search(r"/Root (\d+ \d+ R)", trailer).group(1)
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])

    bomb = zlib.compress(b" " * BLANKS, 9)
    update = bytearray(b"\n")
    offsets = {}
    offsets[size] = len(data) + len(update)
    update += (f"{size} 0 obj\n<</Length {len(bomb)} /Filter /FlateDecode>>\nstream\n"
               .encode())
    update += bomb + b"\nendstream\nendobj\n"
    offsets[number] = len(data) + len(update)
    update += f"{number} 0 obj\n{pdf_value(page)}\nendobj\n".encode()
    xref_at = len(data) + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n"
    for obj in sorted(offsets):
        update += f"{obj} 1\n{offsets[obj]:010d} 00000 n \n".encode()
    update += (f"trailer\n<</Size {size + 1} /Root {root} /Prev {prev}>>\n"
               f"startxref\n{xref_at}\n%%EOF\n").encode()
    out.write_bytes(bytes(data) + bytes(update))
    print(f"{out}: {out.stat().st_size // 1024} KiB, page 1 gets {BLANKS >> 20} MiB of blanks")
    manifest = out.parent / "manifest.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        source = next((e for e in entries if e["file"] == base.name), None)
        if source is not None and source["expected"] == "pass" and not source["violations"]:
            entries = [e for e in entries if e["file"] != out.name] + [{
                "file": out.name, "expected": "pass", "violations": ["checked_partly"],
                "authors": source["authors"], "content_pages": source["content_pages"],
                "total_pages": source["total_pages"],
                "notes": f"{base.name} with an incremental update giving page 1 a second "
                         f"content stream of {BLANKS >> 20} MiB of blanks "
                         "(scripts/corpus/bombs.py)"}]
            entries.sort(key=lambda e: e["file"])
            manifest.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")


if __name__ == "__main__":
    main()
