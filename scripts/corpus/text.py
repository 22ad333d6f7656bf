"""Source text for the corpus: sentences, equations, captions, references and people's names,
read from the demo's own tables in src/demo/ (so the corpus is made from the project's text)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _array(source, name):
    match = re.search(r"const " + name + r": &\[&str\] = &\[(.*?)\n\];", source, re.S)
    if not match:
        raise SystemExit(f"src/demo: table {name} not found")
    return [bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            for s in STRING.findall(match.group(1))]


def load():
    filler = (ROOT / "src/demo/filler.rs").read_text(encoding="utf-8")
    names = (ROOT / "src/demo/names.rs").read_text(encoding="utf-8")
    text = {k.lower(): _array(filler, k) for k in
            ["INTRODUCTION", "RELATED", "METHOD", "EXPERIMENTS", "DISCUSSION", "CAPTIONS",
             "REFERENCES"]}
    cultures = []
    for block in re.findall(r"NameCulture \{(.*?)\n    \}", names, re.S):
        given = re.search(r"given: &\[(.*?)\]", block, re.S)
        family = re.search(r"family: &\[(.*?)\]", block, re.S)
        if given and family:
            cultures.append((STRING.findall(given.group(1)), STRING.findall(family.group(1))))
    text["cultures"] = cultures
    return text
