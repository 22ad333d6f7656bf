"""matplotlib figures for the corpus, written as PDF. With matplotlib before 3.11 and
`pdf.fonttype` 3, math-text glyphs and scatter markers become Form XObjects without their own
/Resources, which is what the format check has to read correctly."""
import matplotlib

matplotlib.use("pdf")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _save(fig, path, fonttype):
    fig.savefig(path, metadata={"Creator": "cfp corpus", "Producer": None})
    plt.close(fig)


def _setup(fonttype):
    matplotlib.rcParams.update({"pdf.fonttype": fonttype, "font.size": 8,
                                "pdf.compression": 9})


def convergence(path, fonttype, title=None):
    """Log-log error plot with math-text labels, markers and a legend."""
    _setup(fonttype)
    h = np.array([0.2, 0.1, 0.05, 0.025, 0.0125])
    fig, ax = plt.subplots(figsize=(4.0, 2.6))
    for order, marker, label in [(1, "o", r"Euler $\mathcal{O}(h)$"),
                                 (2, "s", r"Heun $\mathcal{O}(h^2)$"),
                                 (4, "^", r"RK4 $\mathcal{O}(h^4)$")]:
        ax.loglog(h, 3 * h ** order, marker=marker, label=label)
    ax.set_xlabel(r"step size $h$")
    ax.set_ylabel(r"$\|x(T) - x_h(T)\|_2$")
    ax.legend(loc="lower right")
    ax.grid(True, which="both", alpha=0.3)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    _save(fig, path, fonttype)


def scatter(path, fonttype):
    """Scatter markers coloured by a value, with a colour bar."""
    _setup(fonttype)
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=120), rng.normal(size=120)
    c = np.log10(1 + x ** 2 + y ** 2)
    fig, ax = plt.subplots(figsize=(4.0, 3.0))
    points = ax.scatter(x, y, c=c, marker="D", s=14, cmap="viridis")
    ax.scatter(x[:10], y[:10], marker="x", color="k", s=20, label=r"$\theta^\star$ samples")
    bar = fig.colorbar(points, ax=ax)
    bar.set_label(r"$\log_{10}(1 + \|z\|^2)$")
    ax.set_xlabel(r"$z_1$")
    ax.set_ylabel(r"$z_2$")
    ax.legend(loc="upper left")
    fig.tight_layout()
    _save(fig, path, fonttype)


def trajectories(path, fonttype):
    """Lines, a shaded band and a text annotation."""
    _setup(fonttype)
    t = np.linspace(0, 10, 200)
    fig, ax = plt.subplots(figsize=(5.0, 2.2))
    ax.plot(t, np.sin(t), label="reference")
    ax.plot(t, np.sin(t) * np.exp(-0.02 * t), "--", label="learned")
    ax.fill_between(t, np.sin(t) - 0.2, np.sin(t) + 0.2, alpha=0.2)
    ax.annotate(r"$\dot{x} = f_\theta(x, t)$", xy=(6, 0.5))
    ax.set_xlabel(r"time $t$ [s]")
    ax.legend(loc="lower left")
    fig.tight_layout()
    _save(fig, path, fonttype)


def heatmap(path, fonttype):
    """An image with a colour bar and a log-scaled axis."""
    _setup(fonttype)
    z = np.outer(np.linspace(0, 1, 24), np.linspace(1, 2, 24))
    fig, ax = plt.subplots(figsize=(3.2, 2.6))
    image = ax.imshow(z, extent=(1, 100, 0, 1), aspect="auto", origin="lower")
    ax.set_xscale("log")
    ax.set_xlabel(r"width $N$")
    ax.set_ylabel(r"$\lambda$")
    fig.colorbar(image, ax=ax, label="test loss")
    fig.tight_layout()
    _save(fig, path, fonttype)
