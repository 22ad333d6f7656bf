"""Writes one corpus paper as LaTeX source (for pdfLaTeX, XeLaTeX or LuaLaTeX) with the layout of
cfpneurips.sty, and reads the page labels that LaTeX recorded while typesetting it."""
import random
import re

T1_EXTRA = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
               "ĀāĂăĄąĆćČčĎďĐđĘęĚěĞğİıĹĺĽľŁłŃńŇňŐőŒœŔŕŘřŚśŞşŠšŢţŤťŮůŰűŸŹźŻżŽž")


def t1_safe(name):
    return all(c.isascii() or c in T1_EXTRA for c in name)


def esc(text):
    out = []
    for c in text:
        out.append({"&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#", "$": r"\$",
                    "^": r"\^{}", "~": r"\~{}", "\\": r"\textbackslash{}"}.get(c, c))
    return "".join(out)


def paragraph(rng, pool, method, sentences=5):
    picked = [rng.choice(pool) for _ in range(sentences)]
    return esc(" ".join(s.replace("{m}", method) for s in picked))


def initials(name):
    words = name.split()
    return " ".join(w[0] + "." for w in words[:-1]) + " " + words[-1]


PGFPLOT = r"""\begin{center}
\begin{tikzpicture}
\begin{axis}[width=%(w)s\linewidth,height=4.2cm,xmode=log,ymode=log,xlabel={step size $h$},
  ylabel={error $e_h$},legend pos=south east,legend style={font=\scriptsize},
  tick label style={font=\scriptsize}]
\addplot+[mark=o] coordinates {(0.2,0.6) (0.1,0.3) (0.05,0.15) (0.025,0.075)};
\addlegendentry{Euler}
\addplot+[mark=square] coordinates {(0.2,0.12) (0.1,0.03) (0.05,0.0075) (0.025,0.0019)};
\addlegendentry{Heun}
\end{axis}
\end{tikzpicture}
\end{center}"""

TIKZ = r"""\begin{center}
\begin{tikzpicture}[node distance=2.2cm,every node/.style={draw,rounded corners,font=\small}]
\node (x) {$x_0$}; \node[right of=x] (f) {$f_\theta$}; \node[right of=f] (s) {solver};
\node[right of=s] (y) {$x(T)$};
\draw[->] (x) -- (f); \draw[->] (f) -- (s); \draw[->] (s) -- (y);
\draw[->,dashed] (y) to[bend left=30] node[draw=none,below] {adjoint} (f);
\end{tikzpicture}
\end{center}"""

MATH = r"""\begin{align}
\frac{\mathrm{d}x}{\mathrm{d}t} &= f_\theta\bigl(x(t), t\bigr), \qquad x(0) = x_0, \label{eq:ode}\\
\mathcal{L}(\theta) &= \frac{1}{N} \sum_{i=1}^{N} \bigl\| x_i - x(t_i;\theta) \bigr\|_2^2
  + \lambda \int_0^T \bigl\| \nabla_x f_\theta \bigr\|_F^2 \,\mathrm{d}t, \\
\| x(T) - x_h(T) \| &\le C\, h^{p}\, e^{L T}, \qquad
\Sigma = \begin{pmatrix} \sigma_{11} & \sigma_{12} \\ \sigma_{21} & \sigma_{22} \end{pmatrix}.
\end{align}"""

ALGORITHM = r"""\begin{algorithm}[H]
\caption{Adjoint training of %(m)s}
\begin{algorithmic}[1]
\Require data $\{(t_i, x_i)\}_{i=1}^N$, step size $h$, learning rate $\eta$
\For{each epoch}
  \State solve $\dot x = f_\theta(x, t)$ forward with step $h$
  \State solve the adjoint equation backward and accumulate $\nabla_\theta \mathcal{L}$
  \State $\theta \gets \theta - \eta \nabla_\theta \mathcal{L}$
\EndFor
\end{algorithmic}
\end{algorithm}"""

FRAMED_ALGORITHM = r"""\begin{center}\fbox{\parbox{0.9\linewidth}{\textbf{Algorithm 1} Adjoint
training of %(m)s.\\ 1: for each epoch: solve $\dot x = f_\theta(x,t)$ forward;\\ 2: solve the
adjoint backward and accumulate $\nabla_\theta\mathcal{L}$;\\ 3: $\theta \gets \theta - \eta
\nabla_\theta \mathcal{L}$.}}\end{center}"""

TABLE = r"""\begin{table}[H]
\centering\small
\caption{Relative $L^2$ error (\%%) after training, mean over five seeds.}
\begin{tabular}{lrrr}
\toprule
Method & Lorenz & Burgers & Navier--Stokes \\
\midrule
Euler baseline & 12.4 & 8.1 & 15.0 \\
RK4 baseline & 6.2 & 4.9 & 9.7 \\
%(m)s (ours) & \textbf{2.1} & \textbf{1.7} & \textbf{4.4} \\
\bottomrule
\end{tabular}
\end{table}"""

CHECKLIST = [
    "Claims: do the main claims made in the abstract and introduction accurately reflect the "
    "paper's contributions and scope? Answer: [Yes]",
    "Limitations: does the paper discuss the limitations of the work? Answer: [Yes]",
    "Experimental result reproducibility: does the paper disclose all the information needed to "
    "reproduce the main experimental results? Answer: [Yes]",
    "Compute resources: does the paper report the compute used? Answer: [Yes]",
]


def source(spec, text, n_para, has_algorithm):
    """The LaTeX source of one paper; `n_para` paragraphs per main section."""
    rng = random.Random(spec["seed"])
    method = spec["method"]
    pdftex = spec["engine"] == "pdflatex"
    opts = ",".join(spec.get("options", []))
    authors = spec["authors"]
    lines = [r"\documentclass[10pt]{article}", r"\usepackage{amsmath}",
             r"\usepackage[%s]{cfpneurips}" % opts]
    if pdftex:
        lines += [r"\usepackage[utf8]{inputenc}", r"\usepackage{amssymb}"]
        lines += [r"\pdfcompresslevel=9", r"\pdfobjcompresslevel=2"]
    lines += [r"\usepackage{graphicx}", r"\usepackage{booktabs}", r"\usepackage{float}"]
    if spec.get("pgfplots"):
        lines += [r"\usepackage{pgfplots}", r"\pgfplotsset{compat=1.18}"]
    elif spec.get("tikz"):
        lines += [r"\usepackage{tikz}"]
    if spec.get("algorithm") and has_algorithm:
        lines += [r"\usepackage{algorithm}", r"\usepackage{algpseudocode}"]
    lines += [r"\usepackage[hidelinks]{hyperref}"]
    meta = {"pdftitle": spec["title"]}
    if spec.get("meta_author"):
        meta["pdfauthor"] = ", ".join(a["name"] for a in authors)
    lines.append(r"\hypersetup{%s}" % ",".join(f"{k}={{{v}}}" for k, v in meta.items()))
    if spec.get("meta_xmp"):
        lines += [r"\immediate\pdfobj stream attr{/Type/Metadata/Subtype/XML} file{xmp.xml}",
                  r"\pdfcatalog{/Metadata \the\pdflastobj\space 0 R}"]
    if spec.get("bomb"):
        lines += [r"\immediate\pdfobj stream attr{/Type/Metadata/Subtype/XML} file{bomb.xml}",
                  r"\pdfcatalog{/Metadata \the\pdflastobj\space 0 R}"]
    byline = r" \and ".join(
        r"%s\\ %s\\ \texttt{%s}" % (esc(a["name"]), esc(a["affiliation"]), esc(a["email"]))
        for a in authors)
    byline = r"\begin{tabular}[t]{c}" + byline.replace(r" \and ",
                                                       r"\end{tabular}\quad\begin{tabular}[t]{c}") \
        + r"\end{tabular}"
    lines += [r"\title{%s}" % esc(spec["title"]), r"\author{%s}" % byline, r"\begin{document}",
              r"\maketitle"]
    lines += [r"\begin{abstract}", paragraph(rng, text["introduction"], method, 6),
              r"\end{abstract}"]
    first = authors[0]["name"].split()[-1]
    sections = [("Introduction", "introduction"), ("Related work", "related"),
                ("Method", "method"), ("Experiments", "experiments"),
                ("Conclusion", "discussion")]
    for index, (heading, pool) in enumerate(sections):
        lines.append(r"\section{%s}" % heading)
        if index == 0:
            if spec.get("footnote_initials"):
                pair = " and ".join(initials(a["name"]) for a in authors[:2])
                lines.append(r"Part of this work was done while %s were visiting the lab."
                             r"\footnote{Code by %s, available on request.}" % (
                                 esc(pair), esc(pair)))
            if spec.get("footnote_email"):
                lines.append(r"We release our code.\footnote{Questions: \texttt{%s}.}"
                             % esc(authors[0]["email"]))
            if spec.get("body_name"):
                lines.append(r"This paper extends the thesis of %s." % esc(authors[0]["name"]))
        if index == 1:
            if spec.get("selfcite_third"):
                # Third person, surnames only: what NeurIPS asks for.
                lines.append(r"%s et al.~[19] studied a related scheme, and %s and "
                             r"%s~[20] analysed its stability." % (
                                 esc(first), esc(first), esc(authors[-1]["name"].split()[-1])))
            if spec.get("selfcite_our"):
                lines.append(r"As shown in our previous work [%s et al., 2023], the adjoint "
                             r"method is stable for this class of problems." % esc(first))
        for p in range(n_para):
            lines.append(paragraph(rng, text[pool], method) + "\n")
            if index == 2 and p == 0:
                lines.append(MATH)
                if spec.get("algorithm"):
                    lines.append((ALGORITHM if has_algorithm else FRAMED_ALGORITHM)
                                 % {"m": esc(method)})
                if spec.get("tikz"):
                    lines.append(r"\begin{figure}[H]" + TIKZ +
                                 r"\caption{The training loop.}\end{figure}")
            if index == 3 and p == 0:
                lines.append(TABLE % {"m": esc(method)})
                for fig, width in spec.get("figures", []):
                    caption = esc(rng.choice(text["captions"]))
                    lines.append(r"\begin{figure}[H]\centering"
                                 r"\includegraphics[width=%s\linewidth]{%s}"
                                 r"\caption{%s}\end{figure}" % (width, fig, caption))
                if spec.get("pgfplots"):
                    lines.append(r"\begin{figure}[H]" + PGFPLOT % {"w": "0.7"} +
                                 r"\caption{Convergence (pgfplots).}\end{figure}")
    lines.append(r"This completes the main text.\label{cfp:content-end}")
    if spec.get("ack"):
        lines += [r"\section*{Acknowledgments}",
                  r"We thank the members of the numerical analysis group for many discussions. "
                  r"This work was funded by the Research Council under grant 2031-447 and by a "
                  r"fellowship of the Digital Futures foundation."]
    refs = list(text["references"])
    if spec.get("selfcite_third") or spec.get("selfcite_our"):
        names = ", ".join(a["name"] for a in authors[:-1]) + " and " + authors[-1]["name"]
        refs = refs[:18] + [
            f"{initials(authors[0]['name'])} et al. Stable adjoints for stiff neural ODEs. "
            "In Advances in Neural Information Processing Systems, 2023.",
            f"{names}. On the stability of learned integrators. Journal of Computational "
            "Physics, 2024."]
    lines.append(r"{\small\begin{thebibliography}{99}")
    for i, ref in enumerate(refs):
        lines.append(r"\bibitem{r%d} %s" % (i + 1, esc(ref)))
    lines.append(r"\end{thebibliography}}")
    lines += [r"\appendix", r"\section{Additional results}"]
    for _ in range(spec.get("appendix", 2)):
        lines.append(paragraph(rng, text["experiments"], method) + "\n")
    lines.append(r"\section*{NeurIPS Paper Checklist}")
    lines.append(r"\begin{enumerate}" + "".join(r"\item " + esc(c) for c in CHECKLIST) +
                 r"\end{enumerate}")
    lines += [r"\label{cfp:last}", r"\end{document}"]
    return "\n".join(lines) + "\n"


def labels(aux_text):
    """(content pages, total pages) from the .aux file's \\newlabel lines."""
    found = {}
    for name, page in re.findall(r"\\newlabel\{cfp:([a-z-]+)\}\{\{[^}]*\}\{(\d+)\}", aux_text):
        found[name] = int(page)
    return found.get("content-end"), found.get("last")
