"""Corpus papers made without TeX: LibreOffice Writer (flat ODF text) and Chromium (HTML printed
to PDF), plus the files that must be refused (not a PDF, truncated, encrypted).

Page counts by construction: the references start after a forced page break, so the main
content is exactly the pages of the same document rendered without the back matter."""
import html
import random
import subprocess
from pathlib import Path

import figures
import latex


def pages(pdf_path):
    out = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise SystemExit(f"pdfinfo could not count the pages of {pdf_path}")


def body_paragraphs(text, rng, method, count):
    pools = ["introduction", "related", "method", "experiments", "discussion"]
    out = []
    for i in range(count):
        pool = pools[min(i * len(pools) // max(count, 1), len(pools) - 1)]
        out.append(" ".join(rng.choice(text[pool]).replace("{m}", method) for _ in range(5)))
    return out


# ---------------------------------------------------------------- Chromium
def chromium_html(title, paras, refs, authors_line, css):
    h = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{h(title)}</title>"
             f"<style>{css}</style></head><body>", f"<h1>{h(title)}</h1>",
             f"<p class='authors'>{authors_line}</p>", "<h2 class='abs'>Abstract</h2>",
             f"<p class='abstract'>{h(paras[0])}</p>"]
    for i, p in enumerate(paras[1:]):
        if i % 4 == 0:
            parts.append(f"<h2>{i // 4 + 1}&nbsp;&nbsp;Section {i // 4 + 1}</h2>")
        parts.append(f"<p>{h(p)}</p>")
        if i == 2:
            parts.append(
                "<figure><svg width='300' height='120' xmlns='http://www.w3.org/2000/svg'>"
                "<polyline points='10,100 60,60 110,50 160,30 210,25 260,20' fill='none' "
                "stroke='black'/><text x='120' y='115' font-size='9'>epochs</text>"
                "<text x='0' y='10' font-size='9'>loss</text></svg>"
                "<figcaption>Figure 1: Training loss.</figcaption></figure>")
    if refs:
        parts.append("<h2 class='refs'>References</h2><ol class='bib'>")
        parts += [f"<li>{h(r)}</li>" for r in refs]
        parts.append("</ol>")
    parts.append("</body></html>")
    return "".join(parts)


CSS = """@page {{ size: {paper}; margin: 1in {side}in 1in {side}in; }}
body {{ margin: 0; font-family: 'Liberation Serif', serif; font-size: {size}pt;
  line-height: {lead}pt; text-align: justify; }}
h1 {{ font-size: 17pt; line-height: 20pt; text-align: center; margin: 0 0 12pt 0; }}
h2 {{ font-size: 12pt; line-height: 14pt; margin: 10pt 0 4pt 0; }}
.abs {{ text-align: center; }} .abstract {{ margin: 0 0.5in; }}
.authors {{ text-align: center; }} p {{ margin: 0 0 5pt 0; }}
.refs {{ break-before: page; }} .bib {{ font-size: 9pt; line-height: 10pt; }}
figure {{ text-align: center; margin: 6pt 0; }} figcaption {{ font-size: 9pt; }}"""


def chromium_pdf(work, name, page_html, run):
    src = work / f"{name}.html"
    src.write_text(page_html, encoding="utf-8")
    out = work / f"{name}.pdf"
    run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         "--generate-pdf-document-outline", f"--print-to-pdf={out}", src.as_uri()], work)
    return out


def chromium_papers(work, text, people, run, offset=0):
    variants = [
        ("chrome_pass", "pass", [], dict()),
        ("chrome_fail_margins_1in", "fail", ["margins"], dict(side="1")),
        ("chrome_fail_font_8pt", "fail", ["font_size"], dict(size="8", lead="9")),
        # A4 with the NeurIPS block kept: 1.5 in left, 1 in top, 5.5 in x 9 in.
        ("chrome_fail_a4", "fail", ["paper_size"], dict(paper="A4", a4=True)),
        ("chrome_fail_names_in_byline", "fail", ["anonymity"], dict(names=True)),
    ]
    for index, (name, expected, codes, kw) in enumerate(variants):
        rng = random.Random(3000 + index + offset)
        authors = people(text, rng, 2, False)
        css = CSS.format(paper=kw.get("paper", "8.5in 11in"), side=kw.get("side", "1.5"),
                         size=kw.get("size", "10"), lead=kw.get("lead", "11"))
        if kw.get("a4"):
            css = css.replace("margin: 1in 1.5in 1in 1.5in;", "margin: 1in 1.27in 1.69in 1.5in;")
        byline = (" &nbsp; ".join(html.escape(a["name"]) for a in authors) if kw.get("names")
                  else "Anonymous Author(s)<br>Affiliation<br>Address<br>email")
        paras = body_paragraphs(text, rng, text.get("chrome_method", "FlowSolve"), 14)
        title = text.get("chrome_title", "Learned Solvers for Stiff Dynamics")
        main = chromium_pdf(work, name + "_main", chromium_html(title, paras, [], byline, css),
                            run)
        full = chromium_pdf(work, name, chromium_html(title, paras, text["references"][:12],
                                                      byline, css), run)
        yield dict(name=name, pdf=full.read_bytes(), expected=expected, codes=codes,
                   authors=authors, content=pages(main), total=pages(full),
                   notes=f"Chromium print-to-PDF of HTML ({kw or 'compliant layout'})")


# ---------------------------------------------------------------- LibreOffice
FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>{meta}</office:meta>
<office:font-face-decls><style:font-face style:name="Liberation Serif"
 svg:font-family="'Liberation Serif'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles>
<style:style style:name="Standard" style:family="paragraph">
 <style:paragraph-properties fo:line-height="{lead}pt" fo:margin-bottom="5pt" fo:text-align="justify"/>
 <style:text-properties style:font-name="Liberation Serif" fo:font-size="{size}pt"/></style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
 <style:paragraph-properties fo:text-align="center" fo:line-height="20pt" fo:margin-bottom="14pt"/>
 <style:text-properties fo:font-size="17pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Center" style:family="paragraph" style:parent-style-name="Standard">
 <style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="H" style:family="paragraph" style:parent-style-name="Standard">
 <style:paragraph-properties fo:line-height="14pt" fo:margin-top="8pt" fo:text-align="start"/>
 <style:text-properties fo:font-size="12pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Refs" style:family="paragraph" style:parent-style-name="H">
 <style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Bib" style:family="paragraph" style:parent-style-name="Standard">
 <style:paragraph-properties fo:line-height="10pt" fo:text-align="start"/>
 <style:text-properties fo:font-size="9pt"/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1">
 <style:page-layout-properties fo:page-width="{width}" fo:page-height="{height}"
  fo:margin-left="{side}in" fo:margin-right="{side}in" fo:margin-top="1in" fo:margin-bottom="1in"/>
</style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>{body}</office:text></office:body></office:document>
"""


def fodt(title, paras, refs, meta, **kw):
    e = html.escape
    body = [f'<text:p text:style-name="Title">{e(title)}</text:p>',
            '<text:p text:style-name="Center">Anonymous Author(s)</text:p>',
            '<text:p text:style-name="H">Abstract</text:p>']
    for i, p in enumerate(paras):
        if i and i % 4 == 1:
            body.append(f'<text:p text:style-name="H">{i // 4 + 1} Section {i // 4 + 1}</text:p>')
        body.append(f'<text:p text:style-name="Standard">{e(p)}</text:p>')
    if refs:
        body.append('<text:p text:style-name="Refs">References</text:p>')
        body += [f'<text:p text:style-name="Bib">[{i + 1}] {e(r)}</text:p>'
                 for i, r in enumerate(refs)]
    return FODT.format(meta=meta, body="".join(body), lead=kw.get("lead", "11"),
                       size=kw.get("size", "10"), side=kw.get("side", "1.5"),
                       width=kw.get("width", "8.5in"), height=kw.get("height", "11in"))


def soffice_pdf(work, name, content, run):
    src = work / f"{name}.fodt"
    src.write_text(content, encoding="utf-8")
    run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(work), str(src)], work)
    return work / f"{name}.pdf"


def office_papers(work, text, people, run, offset=0):
    variants = [
        ("office_pass", "pass", [], dict(), 12),
        ("office_pass_three_pages", "pass", [], dict(), 20),
        ("office_fail_margins_1in", "fail", ["margins"], dict(side="1"), 12),
        ("office_fail_five_pages", "fail", ["page_limit"], dict(), 34),
        ("office_fail_font_9pt", "fail", ["font_size"], dict(size="9", lead="10"), 12),
        ("office_fail_author_metadata", "fail", ["anonymity"], dict(meta=True), 10),
    ]
    for index, (name, expected, codes, kw, count) in enumerate(variants):
        rng = random.Random(4000 + index + offset)
        authors = people(text, rng, 2, False)
        meta = "<dc:title>Learned Solvers</dc:title>"
        if kw.pop("meta", False):
            meta += f"<meta:initial-creator>{html.escape(authors[0]['name'])}</meta:initial-creator>"
            meta += f"<dc:creator>{html.escape(authors[0]['name'])}</dc:creator>"
        title = text.get("office_title",
                         "Adaptive Step Sizes for Neural Differential Equations")
        # The page-limit variant must really have 5 pages of content, the others at most 4:
        # lengthen or shorten the text until the rendering without back matter says so.
        state = rng.getstate()
        for _ in range(8):
            rng.setstate(state)
            paras = body_paragraphs(text, rng, text.get("office_method", "AdjointRK"), count)
            main = soffice_pdf(work, name + "_main", fodt(title, paras, [], meta, **kw), run)
            content = pages(main)
            if "page_limit" in codes and content != 5:
                count += 3 if content < 5 else -3
            elif "page_limit" not in codes and content > 4:
                count -= 3
            else:
                break
        else:
            raise SystemExit(f"{name}: could not reach the intended number of content pages")
        full = soffice_pdf(work, name, fodt(title, paras, text["references"][:14], meta, **kw),
                           run)
        yield dict(name=name, pdf=full.read_bytes(), expected=expected, codes=codes,
                   authors=authors, content=pages(main), total=pages(full),
                   notes=f"LibreOffice Writer export of flat ODF text ({kw or 'compliant'})")


# ---------------------------------------------------------------- files to refuse
def reject_files(work, text, people, run, base_pdf, offset=0):
    rng = random.Random(5000 + offset)
    authors = people(text, rng, 2, False)
    png = work / "figure.png"
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    fig.savefig(png, dpi=40)
    plt.close(fig)
    yield dict(name="reject_png_renamed", pdf=png.read_bytes(), expected="reject",
               codes=["not_pdf"], authors=authors, content=None, total=None,
               notes="a PNG image saved with a .pdf name")
    data = base_pdf.read_bytes()
    yield dict(name="reject_truncated", pdf=data[: len(data) * 55 // 100], expected="reject",
               codes=["corrupt"], authors=authors, content=None, total=None,
               notes="the first 55% of a Chromium PDF (an upload cut off)")
    encrypted = work / "encrypted.pdf"
    run(["qpdf", "--encrypt", "cfp-user", "cfp-owner", "256", "--", str(base_pdf),
         str(encrypted)], work)
    yield dict(name="reject_encrypted", pdf=encrypted.read_bytes(), expected="reject",
               codes=["encrypted"], authors=authors, content=None, total=None,
               notes="qpdf AES-256 with user password cfp-user")


def build_all(work, text, people, run, offset=0):
    yield from chromium_papers(work, text, people, run, offset)
    yield from office_papers(work, text, people, run, offset)
    yield from reject_files(work, text, people, run, work / "chrome_pass.pdf", offset)


__all__ = ["build_all", "figures", "latex", "Path"]
