#!/usr/bin/env python3
"""Builds cfp's labelled real-world PDF corpus into tests/fixtures/papers/.

Every paper is made from the project's own text (src/demo/) with the layout of cfpneurips.sty
(written from NeurIPS's published dimensions), by pdfLaTeX, XeLaTeX, LuaLaTeX, LibreOffice or
Chromium, with matplotlib figures (Type 3 and Type 42 fonts), pgfplots and TikZ. Each entry of
manifest.json is labelled from how the file was made (which option, which leak was written in),
never from the checker's answer; page counts come from LaTeX's own labels (or, for LibreOffice and
Chromium, from where the generator put the page break before the references).

Needs: TeX Live (latex-recommended, latex-extra, xetex, luatex, pictures, science,
fonts-recommended, fonts-texgyre), libreoffice-writer-nogui, chromium, fonts-liberation, qpdf,
poppler-utils and matplotlib < 3.11. See README.md beside this file.

usage: make_corpus.py [--only NAME...] [--keep]"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import figures  # noqa: E402
import latex  # noqa: E402
import office  # noqa: E402
import text as source_text  # noqa: E402

OUT = HERE.parents[1] / "tests" / "fixtures" / "papers"
MAX_BYTES = 300 * 1024

FIGURES = {
    "conv3.pdf": lambda p: figures.convergence(p, 3),
    "scatter3.pdf": lambda p: figures.scatter(p, 3),
    "traj3.pdf": lambda p: figures.trajectories(p, 3),
    "heat3.pdf": lambda p: figures.heatmap(p, 3),
    "conv42.pdf": lambda p: figures.convergence(p, 42),
    "scatter42.pdf": lambda p: figures.scatter(p, 42),
    "heat42.pdf": lambda p: figures.heatmap(p, 42),
}
SCALES = [("conv3.pdf", "0.3"), ("conv3.pdf", "0.6"), ("conv3.pdf", "1.0")]
MPL3 = [("scatter3.pdf", "0.6"), ("traj3.pdf", "1.0"), ("heat3.pdf", "0.45")]
MPL42 = [("conv42.pdf", "0.6"), ("scatter42.pdf", "0.5"), ("heat42.pdf", "0.4")]
# Seeds, method names and titles; `heldout.py` replaces them (and the text, the figures and the
# output folder) to make a second corpus the same ways from other material.
SEED_OFFSET = 0
METHODS = ["StiffNet", "FlowSolve", "AdjointRK", "NeuralPDE-X", "ODE-Former", "SymplecticNet"]
TITLES = ["Stable Adjoints for Stiff Neural Differential Equations",
          "Learning Integrators with Guaranteed Order",
          "Operator Learning for Irregular Time Series",
          "Physics-Informed Flows on Curved Domains"]


def people(text, rng, count, t1_only):
    """`count` authors of one naming culture, with emails and affiliations."""
    cultures = [c for c in text["cultures"]
                if not t1_only or all(latex.t1_safe(n) for n in c[0] + c[1])]
    given, family = rng.choice(cultures)
    chosen = []
    for g, f in zip(rng.sample(given, count), rng.sample(family, count)):
        ascii_user = (g + "." + f).lower().encode("ascii", "ignore").decode() or "author"
        chosen.append({"name": f"{g} {f}", "email": f"{ascii_user}@uni-example.org",
                       "affiliation": "University of Example"})
    return chosen


def tex_specs():
    """(name, spec, expected, codes) for every LaTeX paper."""
    p = []

    def add(name, engine, expected, codes, pages=4, **kw):
        p.append((name, dict(engine=engine, pages=pages, **kw), expected, codes))

    a = "anonymity"
    # pdfLaTeX: passes with every kind of figure, then one paper per failure.
    add("pdf_pass_mpl_scales", "pdflatex", "pass", [], figures=SCALES)
    add("pdf_pass_mpl_type3", "pdflatex", "pass", [], figures=MPL3, algorithm=True)
    add("pdf_pass_mpl_type42", "pdflatex", "pass", [], pages=3, figures=MPL42)
    add("pdf_pass_pgfplots_tikz", "pdflatex", "pass", [], pages=3, pgfplots=True, tikz=True,
        algorithm=True)
    add("pdf_pass_selfcite_third_person", "pdflatex", "pass", [], pages=3, selfcite_third=True,
        figures=[("conv3.pdf", "0.6")])
    add("pdf_pass_two_pages", "pdflatex", "pass", [], pages=2, appendix=6)
    add("pdf_pass_long_appendix", "pdflatex", "pass", [], pages=4, appendix=30,
        figures=[("heat3.pdf", "0.5")])
    add("pdf_fail_selfcite_our_work", "pdflatex", "fail", [a], pages=3, selfcite_our=True)
    add("pdf_fail_initials_footnote", "pdflatex", "fail", [a], pages=3, footnote_initials=True)
    add("pdf_fail_email_footnote", "pdflatex", "fail", [a], pages=2, footnote_email=True)
    add("pdf_fail_visible_acknowledgments", "pdflatex", "fail", [a], pages=3, ack=True)
    add("pdf_fail_camera_ready_footer", "pdflatex", "fail", [a], pages=3,
        options=["final", "nonames"])
    add("pdf_fail_preprint_footer", "pdflatex", "fail", [a], pages=3,
        options=["preprint", "nonames"])
    add("pdf_fail_final_with_names", "pdflatex", "fail", [a], pages=3, options=["final"],
        figures=[("scatter3.pdf", "0.5")])
    add("pdf_fail_info_author", "pdflatex", "fail", [a], pages=2, meta_author=True)
    add("pdf_fail_xmp_author", "pdflatex", "fail", [a], pages=2, meta_xmp=True)
    add("pdf_fail_name_in_figure", "pdflatex", "fail", [a], pages=3, figure_name=True)
    add("pdf_fail_name_in_body", "pdflatex", "fail", [a], pages=2, body_name=True)
    add("pdf_fail_five_pages", "pdflatex", "fail", ["page_limit"], pages=5, figures=MPL3)
    add("pdf_fail_a4", "pdflatex", "fail", ["paper_size"], pages=3, options=["a4"],
        figures=[("conv3.pdf", "0.6")])
    add("pdf_fail_wide_text", "pdflatex", "fail", ["margins"], pages=4, options=["wide"],
        figures=SCALES)
    add("pdf_fail_margin_075", "pdflatex", "fail", ["margins"], pages=2, options=["margin075"])
    add("pdf_fail_font_9pt", "pdflatex", "fail", ["font_size"], pages=3, options=["smallbody"])
    add("pdf_fail_font_8pt", "pdflatex", "fail", ["font_size"], pages=2, options=["tinybody"],
        figures=[("traj3.pdf", "1.0")])
    add("pdf_fail_wide_five_pages", "pdflatex", "fail", ["margins", "page_limit"], pages=5,
        options=["wide"])
    add("pdf_partly_metadata_bomb", "pdflatex", "pass", ["checked_partly"], pages=2, bomb=True)
    # XeLaTeX and LuaLaTeX (OpenType CFF fonts, Identity-H).
    add("xe_pass_mpl_pgfplots", "xelatex", "pass", [], figures=MPL3 + SCALES[:1],
        pgfplots=True, algorithm=True)
    add("xe_pass_mpl_type42", "xelatex", "pass", [], pages=3, figures=MPL42, tikz=True)
    add("xe_pass_selfcite_third_person", "xelatex", "pass", [], pages=2, selfcite_third=True)
    add("xe_fail_wide_text", "xelatex", "fail", ["margins"], pages=3, options=["wide"],
        figures=[("scatter3.pdf", "1.0")])
    add("xe_fail_name_in_body", "xelatex", "fail", [a], pages=2, body_name=True)
    add("xe_fail_initials_footnote", "xelatex", "fail", [a], pages=2, footnote_initials=True)
    add("lua_pass_mpl_pgfplots", "lualatex", "pass", [], figures=MPL3, pgfplots=True)
    add("lua_pass_heavy_math", "lualatex", "pass", [], pages=3, algorithm=True, tikz=True,
        figures=MPL42[:1])
    add("lua_fail_font_9pt", "lualatex", "fail", ["font_size"], pages=3, options=["smallbody"])
    add("lua_fail_visible_acknowledgments", "lualatex", "fail", [a], pages=2, ack=True)
    add("lua_fail_a4", "lualatex", "fail", ["paper_size"], pages=2, options=["a4"])
    return p


def run(cmd, cwd, timeout=300):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{tail}")
    return result


def has_algorithm():
    return subprocess.run(["kpsewhich", "algpseudocode.sty"], capture_output=True,
                          text=True).stdout.strip() != ""


def build_tex(name, spec, text, work, figdir):
    """Compiles one paper, adjusting its length until LaTeX puts the end of the main text on
    the wanted page. Returns (pdf bytes, content pages, total pages)."""
    d = work / name
    d.mkdir()
    for f in FIGURES:
        shutil.copy(figdir / f, d / f)
    shutil.copy(HERE / "cfpneurips.sty", d)
    if spec.get("figure_name"):
        figures.convergence(str(d / "named.pdf"), 3,
                            title=f"Simulations by {spec['authors'][0]['name']}")
        spec["figures"] = [("named.pdf", "0.7")]
    if spec.get("meta_xmp"):
        who = "".join(f"<rdf:li>{a['name']}</rdf:li>" for a in spec["authors"])
        (d / "xmp.xml").write_text(
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator><rdf:Seq>{who}</rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
            '</x:xmpmeta><?xpacket end="w"?>', encoding="utf-8")
    if spec.get("bomb"):
        # 180 MiB of blanks inside an XMP packet: about 260 KB once pdfTeX compresses it.
        with open(d / "bomb.xml", "wb") as f:
            f.write(b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>')
            chunk = b" " * (1 << 20)
            for _ in range(180):
                f.write(chunk)
            f.write(b'<?xpacket end="w"?>')
    algo = has_algorithm()
    n = {2: 3, 3: 5, 4: 7, 5: 9}[spec["pages"]]
    tried = {}
    for _ in range(12):
        (d / "paper.tex").write_text(latex.source(spec, text, n, algo), encoding="utf-8")
        for _ in range(2):
            run([spec["engine"], "-interaction=nonstopmode", "-halt-on-error", "paper.tex"], d)
        content, total = latex.labels((d / "paper.aux").read_text(encoding="utf-8",
                                                                   errors="replace"))
        tried[n] = content
        if content == spec["pages"]:
            if total is None:
                # The closing label can fall on a page TeX ships with nothing else on it and
                # be lost; the page count of the file is the same number.
                total = office.pages(d / "paper.pdf")
            return (d / "paper.pdf").read_bytes(), content, total
        step = 1 if abs(content - spec["pages"]) == 1 else 2
        n = n + step if content < spec["pages"] else n - step
        if n in tried or n < 1:
            break
    raise SystemExit(f"{name}: could not reach {spec['pages']} content pages ({tried})")


def main(argv=None, text=None):
    argv = sys.argv[1:] if argv is None else argv
    only = set(a for a in argv if not a.startswith("--"))
    keep = "--keep" in argv
    text = text or source_text.load()
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cfp-corpus-"))
    figdir = work / "figures"
    figdir.mkdir()
    for f, make in FIGURES.items():
        make(str(figdir / f))
    manifest_path = OUT / "manifest.json"
    manifest = {}
    if only and manifest_path.exists():
        manifest = {e["file"]: e for e in json.loads(manifest_path.read_text())}
    entries = []
    for index, (name, spec, expected, codes) in enumerate(tex_specs()):
        if only and name not in only:
            continue
        rng = random.Random(1000 + index + SEED_OFFSET)
        spec["seed"] = 2000 + index + SEED_OFFSET
        spec["authors"] = people(text, rng, rng.choice([2, 3]), spec["engine"] == "pdflatex")
        spec["method"] = rng.choice(METHODS)
        spec["title"] = rng.choice(TITLES)
        pdf, content, total = build_tex(name, spec, text, work, figdir)
        notes = (f"{spec['engine']}, options {spec.get('options', [])}, figures "
                 f"{[f for f, _ in spec.get('figures', [])]}, "
                 f"{'pgfplots ' if spec.get('pgfplots') else ''}"
                 f"{'tikz ' if spec.get('tikz') else ''}"
                 f"leaks {[k for k in ('selfcite_our', 'footnote_initials', 'footnote_email', 'ack', 'meta_author', 'meta_xmp', 'figure_name', 'body_name') if spec.get(k)]}")
        entries.append(write(name, pdf, expected, codes, spec["authors"], content, total, notes))
    for entry in office.build_all(work, text, people, run, SEED_OFFSET):
        if only and entry["name"] not in only:
            continue
        entries.append(write(entry["name"], entry["pdf"], entry["expected"], entry["codes"],
                             entry["authors"], entry["content"], entry["total"], entry["notes"]))
    for e in entries:
        manifest[e["file"]] = e
    ordered = sorted(manifest.values(), key=lambda e: e["file"])
    manifest_path.write_text(json.dumps(ordered, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    if keep:
        print(f"build folder kept: {work}")
    else:
        shutil.rmtree(work)
    total = sum((OUT / e["file"]).stat().st_size for e in ordered)
    print(f"{len(ordered)} files, {total / 1024:.0f} KiB in {OUT}")


def write(name, pdf, expected, codes, authors, content, total, notes):
    suffix = ".pdf"
    if len(pdf) > MAX_BYTES:
        raise SystemExit(f"{name}: {len(pdf)} bytes is over the {MAX_BYTES} byte limit")
    (OUT / (name + suffix)).write_bytes(pdf)
    print(f"{name}: {expected} {codes} content={content} total={total} {len(pdf) // 1024} KiB")
    return {"file": name + suffix, "expected": expected, "violations": sorted(codes),
            "authors": authors, "content_pages": content, "total_pages": total,
            "notes": notes}


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    main()
