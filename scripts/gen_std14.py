#!/usr/bin/env python3
"""Writes the FONTS table of src/format_check/std14.rs: advance widths of codes 32-126 of the
Latin standard-14 fonts, read from the AFM metric files Adobe published, as TeX Live ships them
(Debian: texlive-fonts-recommended, /usr/share/texlive/texmf-dist/fonts/afm/adobe/).

    python3 scripts/gen_std14.py > /tmp/fonts.rs   # then paste over the FONTS table, cargo fmt
    python3 scripts/gen_std14.py --check           # exit 1 if std14.rs differs from the AFMs
"""
import re
import sys
from pathlib import Path

AFM = Path("/usr/share/texlive/texmf-dist/fonts/afm/adobe")
FILES = {
    "Courier": "courier/pcrr8a", "Courier-Bold": "courier/pcrb8a",
    "Courier-BoldOblique": "courier/pcrbo8a", "Courier-Oblique": "courier/pcrro8a",
    "Helvetica": "helvetic/phvr8a", "Helvetica-Bold": "helvetic/phvb8a",
    "Helvetica-BoldOblique": "helvetic/phvbo8a", "Helvetica-Oblique": "helvetic/phvro8a",
    "Times-Bold": "times/ptmb8a", "Times-BoldItalic": "times/ptmbi8a",
    "Times-Italic": "times/ptmri8a", "Times-Roman": "times/ptmr8a",
}


def widths(stem):
    """Widths by StandardEncoding code from an AFM file's `C code ; WX width` lines."""
    found = {}
    for line in (AFM / f"{stem}.afm").read_text(encoding="latin-1").splitlines():
        m = re.match(r"C (-?\d+) ; WX (\d+) ;", line)
        if m:
            found[int(m.group(1))] = int(m.group(2))
    return [found.get(code, 0) for code in range(32, 127)]


def main():
    tables = {name: widths(stem) for name, stem in FILES.items()}
    if "--check" in sys.argv:
        src = (Path(__file__).parent.parent / "src/format_check/std14.rs").read_text()
        bad = []
        for name, table in tables.items():
            start = src.index(f'"{name}",')
            block = src[start:src.index("]", start)].split("[", 1)[1]
            if [int(x) for x in re.findall(r"\d+", block)] != table:
                bad.append(name)
        print("std14.rs matches the AFM files" if not bad else f"differs: {bad}")
        sys.exit(1 if bad else 0)
    print("const FONTS: &[(&str, [u16; 95])] = &[")
    for name, table in tables.items():
        print(f'    ("{name}", [{", ".join(map(str, table))}]),')
    print("];")


if __name__ == "__main__":
    main()
