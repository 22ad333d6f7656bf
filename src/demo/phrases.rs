//! Phrase tables from which demo titles and abstracts are assembled: one [`Theme`] per research
//! strand of the workshop, plus generic phrases shared by all of them.
//!
//! Pure data. Noun phrases are written in sentence case ("neural ODEs", "Fourier neural
//! operators"); titles capitalise them.

/// One research strand: the vocabulary its titles and abstracts draw on.
pub struct Theme {
    /// Indices into `content::TOPICS` that papers of this strand carry as keywords.
    pub topics: &'static [usize],
    /// The model family, as a plural noun phrase.
    pub models: &'static [&'static str],
    /// Application problems the models are applied to.
    pub problems: &'static [&'static str],
    /// Techniques a paper contributes, as noun phrases.
    pub techniques: &'static [&'static str],
    /// Opening sentences giving the context.
    pub contexts: &'static [&'static str],
    /// Clauses completing "However, …".
    pub gaps: &'static [&'static str],
    /// Clauses completing "… that …" describing the proposed method.
    pub mechanisms: &'static [&'static str],
    /// Benchmarks for the results sentence.
    pub benchmarks: &'static [&'static str],
    /// Keywords outside the fixed topic list.
    pub free_keywords: &'static [&'static str],
    /// Suffixes for the method's acronym ("ODE" in "StiffODE").
    pub suffixes: &'static [&'static str],
}

/// The workshop's research strands.
pub const THEMES: &[Theme] = &[
    Theme {
        topics: &[0, 8, 13],
        models: &[
            "neural ODEs",
            "continuous-depth residual networks",
            "latent ODE models",
        ],
        problems: &[
            "stiff chemical kinetics",
            "irregularly sampled clinical time series",
            "chaotic fluid flows",
            "population dynamics",
            "pharmacokinetic modelling",
            "climate emulation",
        ],
        techniques: &[
            "adjoint checkpointing",
            "implicit Runge–Kutta training",
            "learned step-size control",
            "Lyapunov-regularised vector fields",
            "augmented state spaces",
            "interpolated reverse dynamics",
        ],
        contexts: &[
            "Neural ordinary differential equations parameterise the vector field of a dynamical system with a neural network and integrate it with an off-the-shelf numerical solver.",
            "Continuous-depth models treat a residual network as the discretisation of an ordinary differential equation, which makes memory cost independent of depth and allows adaptive computation.",
        ],
        gaps: &[
            "training them on stiff systems remains prohibitively slow, because adaptive explicit solvers are forced into tiny step sizes",
            "the learned dynamics often become increasingly hard to integrate as training proceeds, so the number of function evaluations grows without bound",
            "the adjoint method reconstructs the forward trajectory backwards in time, which is numerically unstable for dissipative dynamics",
        ],
        mechanisms: &[
            "regularises the vector field towards dynamics that a low-order solver integrates accurately",
            "stores a sparse set of checkpoints and recomputes local trajectories with an implicit integrator",
            "learns a step-size controller jointly with the vector field through a differentiable error estimate",
        ],
        benchmarks: &[
            "the Robertson stiff kinetics problem",
            "PhysioNet 2012",
            "the Lorenz-96 system",
            "MuJoCo hopper trajectories",
            "a glycolysis oscillator",
        ],
        free_keywords: &[
            "adjoint method",
            "stiffness",
            "ODE solvers",
            "continuous-depth models",
        ],
        suffixes: &["ODE", "Flow", "NODE"],
    },
    Theme {
        topics: &[1, 10, 7],
        models: &[
            "neural SDEs",
            "latent stochastic differential equations",
            "neural jump diffusions",
        ],
        problems: &[
            "financial volatility modelling",
            "single-cell trajectory inference",
            "stochastic weather generation",
            "neural population activity",
            "epidemic forecasting",
        ],
        techniques: &[
            "reversible Heun solvers",
            "path-space variational inference",
            "signature-kernel scoring rules",
            "Brownian bridge sampling",
            "Wasserstein training objectives",
        ],
        contexts: &[
            "Neural stochastic differential equations combine the expressiveness of deep networks with the calibrated uncertainty of diffusion processes.",
            "Stochastic differential equations with learned drift and diffusion offer a principled way to model noisy continuous-time data.",
        ],
        gaps: &[
            "fitting them by maximum likelihood requires simulating many sample paths, which is expensive and high-variance",
            "existing training objectives match only marginal distributions and ignore the temporal correlation of the paths",
            "their gradients are usually computed with an adjoint SDE whose discretisation error is rarely controlled",
        ],
        mechanisms: &[
            "scores entire sample paths with a signature kernel and is trained without adversarial critics",
            "treats the Brownian motion as a latent variable and amortises its posterior with a recurrent encoder",
            "uses an algebraically reversible solver so that gradients are exact up to floating-point error",
        ],
        benchmarks: &[
            "S&P 500 realised volatility",
            "a mouse haematopoiesis atlas",
            "the ERA5 reanalysis",
            "stochastic Lotka–Volterra data",
            "COVID-19 hospitalisation counts",
        ],
        free_keywords: &[
            "stochastic calculus",
            "variational inference",
            "rough paths",
            "Brownian motion",
        ],
        suffixes: &["SDE", "Diff", "Path"],
    },
    Theme {
        topics: &[2, 9, 11],
        models: &[
            "physics-informed neural networks",
            "PINNs",
            "mesh-free neural PDE solvers",
        ],
        problems: &[
            "high-Reynolds-number Navier–Stokes flows",
            "cardiac electrophysiology",
            "subsurface flow inversion",
            "heat transfer in composite materials",
            "the Allen–Cahn equation",
            "shallow-water equations",
        ],
        techniques: &[
            "causal residual weighting",
            "adaptive collocation sampling",
            "curriculum regularisation",
            "hard enforcement of boundary conditions",
            "second-order optimisers",
            "domain decomposition",
        ],
        contexts: &[
            "Physics-informed neural networks approximate the solution of a partial differential equation by minimising the residual of the equation at a set of collocation points.",
            "Embedding governing equations into the training loss lets neural networks solve forward and inverse problems from sparse and noisy measurements.",
        ],
        gaps: &[
            "their optimisation landscape is notoriously ill-conditioned, and training frequently stalls at trivial solutions",
            "they fail on problems with sharp fronts or multi-scale features, where the residual is dominated by a few regions of the domain",
            "the balance between data, residual and boundary terms is set by hand and transfers poorly across problems",
        ],
        mechanisms: &[
            "reweights collocation points by a posterior estimate of the local residual so that training respects temporal causality",
            "preconditions the loss with a cheap approximation of the Gauss–Newton matrix",
            "splits the domain into overlapping subdomains with separate networks coupled through interface conditions",
        ],
        benchmarks: &[
            "PDEBench",
            "the lid-driven cavity",
            "Kuramoto–Sivashinsky dynamics",
            "a 3D patient-specific heart geometry",
            "Burgers' equation",
        ],
        free_keywords: &[
            "Navier–Stokes",
            "collocation methods",
            "loss balancing",
            "PDE residuals",
        ],
        suffixes: &["PINN", "PINO", "Phys"],
    },
    Theme {
        topics: &[3, 9, 4],
        models: &[
            "neural operators",
            "Fourier neural operators",
            "DeepONets",
            "transformer neural operators",
        ],
        problems: &[
            "turbulent flow forecasting",
            "seismic wave propagation",
            "weather prediction at kilometre scale",
            "elasticity on irregular meshes",
            "plasma dynamics in tokamaks",
            "porous-media flow",
        ],
        techniques: &[
            "spectral attention",
            "multigrid latent spaces",
            "wavelet bases",
            "equivariant kernels",
            "autoregressive rollout training",
            "resolution-adaptive tokenisation",
        ],
        contexts: &[
            "Neural operators learn mappings between infinite-dimensional function spaces, so that a single model can be queried at any discretisation of the input.",
            "Operator learning has emerged as a data-driven alternative to classical solvers for families of parametric partial differential equations.",
        ],
        gaps: &[
            "their accuracy degrades quickly in long autoregressive rollouts, where small errors accumulate and push the state off the data manifold",
            "most architectures assume regular grids and lose their resolution invariance on unstructured meshes",
            "the spectral truncation that makes them efficient also discards the high-frequency content that matters in turbulence",
        ],
        mechanisms: &[
            "represents the operator in a learned wavelet frame whose coefficients are mixed by attention across scales",
            "injects noise during training and refines each predicted state with a few steps of a learned denoiser",
            "constructs integral kernels that are equivariant to the symmetry group of the underlying equation",
        ],
        benchmarks: &[
            "2D Kolmogorov flow",
            "the Darcy flow benchmark",
            "WeatherBench 2",
            "the AirfRANS dataset",
            "3D magnetohydrodynamics simulations",
        ],
        free_keywords: &[
            "function spaces",
            "resolution invariance",
            "surrogate models",
            "turbulence",
        ],
        suffixes: &["NO", "Op", "Former"],
    },
    Theme {
        topics: &[4, 13, 14],
        models: &[
            "learned numerical solvers",
            "neural multigrid methods",
            "hybrid solver–network models",
            "message-passing PDE solvers",
        ],
        problems: &[
            "incompressible fluid simulation",
            "sparse linear systems from finite elements",
            "shock-capturing schemes",
            "reaction–diffusion systems",
            "molecular dynamics integration",
        ],
        techniques: &[
            "learned flux limiters",
            "differentiable preconditioners",
            "neural error correction",
            "learned coarse-grid operators",
            "solver-in-the-loop training",
        ],
        contexts: &[
            "Classical numerical methods come with guarantees of consistency and stability but require fine discretisations that are expensive to run.",
            "Learned solvers keep the structure of a classical numerical scheme and replace a few of its components by neural networks trained on high-fidelity data.",
        ],
        gaps: &[
            "networks trained on single-step errors often destabilise the scheme when they are applied repeatedly",
            "learned components rarely respect conservation laws, so mass and energy drift over long simulations",
            "the benefit of learning vanishes when the test geometry or boundary conditions differ from those seen in training",
        ],
        mechanisms: &[
            "corrects the fluxes of a finite-volume scheme while guaranteeing conservation by construction",
            "trains the correction through the unrolled solver so that it learns to compensate its own accumulated error",
            "learns a preconditioner that is provably symmetric positive definite and plugs into conjugate gradients",
        ],
        benchmarks: &[
            "2D decaying turbulence",
            "the Sod shock tube",
            "SuiteSparse matrices",
            "a von Kármán vortex street",
            "Gray–Scott pattern formation",
        ],
        free_keywords: &[
            "finite volume methods",
            "multigrid",
            "conservation laws",
            "preconditioning",
        ],
        suffixes: &["Solve", "Grid", "Net"],
    },
    Theme {
        topics: &[5, 8, 9],
        models: &[
            "Hamiltonian neural networks",
            "Lagrangian neural networks",
            "symplectic recurrent networks",
            "port-Hamiltonian networks",
        ],
        problems: &[
            "n-body gravitational systems",
            "molecular dynamics",
            "rigid-body robotics",
            "coupled pendulum arrays",
            "charged-particle beams",
        ],
        techniques: &[
            "symplectic integration",
            "learned dissipation terms",
            "Noether-based conservation",
            "generalised coordinates",
            "energy-shaping control",
        ],
        contexts: &[
            "Hamiltonian neural networks learn an energy function from data and derive the dynamics from it, which conserves energy by construction.",
            "Building the structure of classical mechanics into neural networks yields models that generalise far beyond the training horizon.",
        ],
        gaps: &[
            "real systems are rarely conservative, and existing models cannot represent friction, forcing or control inputs",
            "they require observations in canonical coordinates, which are almost never available from sensors or images",
            "their conservation guarantees hold only in continuous time and are lost once the model is discretised",
        ],
        mechanisms: &[
            "learns a port-Hamiltonian decomposition into conservative, dissipative and input terms",
            "infers canonical coordinates with a symplectic autoencoder trained jointly with the energy function",
            "trains directly through a variational integrator so that discrete trajectories conserve a modified energy",
        ],
        benchmarks: &[
            "the double pendulum",
            "three-body orbits",
            "a quadrotor testbed",
            "alanine dipeptide trajectories",
            "pixel observations of a spring–mass system",
        ],
        free_keywords: &[
            "symplectic geometry",
            "energy conservation",
            "robotics",
            "physical priors",
        ],
        suffixes: &["HNN", "Ham", "Lag"],
    },
    Theme {
        topics: &[6, 15, 1],
        models: &[
            "score-based diffusion models",
            "denoising diffusion models",
            "flow-matching models",
            "probability-flow ODEs",
        ],
        problems: &[
            "image generation",
            "protein backbone design",
            "weather ensemble generation",
            "PDE data assimilation",
            "molecular conformer sampling",
        ],
        techniques: &[
            "higher-order exponential integrators",
            "variance-reduced score estimation",
            "optimal-transport couplings",
            "stochastic interpolants",
            "adaptive noise schedules",
        ],
        contexts: &[
            "Diffusion models generate data by reversing a stochastic differential equation that gradually transforms data into noise.",
            "Viewing generative diffusion as the time reversal of a forward SDE connects sampling to decades of work in numerical integration.",
        ],
        gaps: &[
            "sampling still requires hundreds of network evaluations, because generic solvers ignore the semi-linear structure of the reverse equation",
            "the discretisation error of the sampler and the error of the learned score interact in ways that are poorly understood",
            "conditioning on physical observations is usually done by heuristics that do not sample the true posterior",
        ],
        mechanisms: &[
            "integrates the linear part of the probability-flow ODE exactly and approximates only the score term",
            "corrects each reverse step with a Metropolis-adjusted Langevin move so that the sampler targets the exact posterior",
            "chooses the noise schedule by minimising a bound on the Wasserstein distance between sampler and data",
        ],
        benchmarks: &[
            "CIFAR-10",
            "ImageNet 64x64",
            "the CATH protein set",
            "ERA5 ensembles",
            "GEOM-Drugs",
        ],
        free_keywords: &[
            "score matching",
            "sampling",
            "time reversal",
            "posterior sampling",
        ],
        suffixes: &["Diff", "Flow", "Score"],
    },
    Theme {
        topics: &[7, 0, 10],
        models: &[
            "neural controlled differential equations",
            "neural CDEs",
            "continuous-time recurrent networks",
        ],
        problems: &[
            "intensive-care monitoring",
            "speech commands",
            "wearable sensor streams",
            "event sequences in finance",
            "satellite telemetry",
        ],
        techniques: &[
            "log-signature compression",
            "rough path interpolation",
            "online filtering",
            "cubic Hermite controls",
            "neural rough differential equations",
        ],
        contexts: &[
            "Neural controlled differential equations are the continuous-time analogue of recurrent networks and naturally handle irregular and partially observed time series.",
            "Real-world time series arrive at irregular times, with missing channels and informative sampling patterns.",
        ],
        gaps: &[
            "the control path must be interpolated from the whole sequence, which prevents their use in online settings",
            "on very long sequences the integration cost grows linearly with length and gradients vanish",
            "existing models do not quantify their uncertainty, although it is crucial for clinical decisions",
        ],
        mechanisms: &[
            "summarises the control path over coarse windows with truncated log-signatures",
            "builds the control from causal interpolation so that predictions can be updated as each observation arrives",
            "places a Gaussian-process prior on the hidden state and propagates it in closed form between observations",
        ],
        benchmarks: &[
            "PhysioNet 2019 sepsis prediction",
            "Speech Commands",
            "EigenWorms",
            "MIMIC-IV",
            "the UEA archive",
        ],
        free_keywords: &[
            "rough paths",
            "irregular sampling",
            "healthcare",
            "signatures",
        ],
        suffixes: &["CDE", "RDE", "Seq"],
    },
    Theme {
        topics: &[12, 0, 13],
        models: &[
            "neural optimal control",
            "deep Galerkin methods",
            "neural Hamilton–Jacobi solvers",
            "mean-field game networks",
        ],
        problems: &[
            "high-dimensional stochastic control",
            "robot motion planning",
            "optimal transport between point clouds",
            "portfolio optimisation",
            "crowd dynamics",
        ],
        techniques: &[
            "Pontryagin-based training",
            "HJB residual penalties",
            "Schrödinger bridges",
            "deep BSDE solvers",
            "value-function splitting",
        ],
        contexts: &[
            "Optimal control and optimal transport can both be written as constrained problems over the trajectories of a differential equation.",
            "Solving Hamilton–Jacobi–Bellman equations in high dimensions is a classical challenge that neural networks have recently made tractable.",
        ],
        gaps: &[
            "grid-based methods scale exponentially with dimension, and neural approaches lack certificates of optimality",
            "training only on sampled trajectories leaves large regions of state space where the value function is inaccurate",
            "existing methods treat the state dynamics as known, which rarely holds in practice",
        ],
        mechanisms: &[
            "combines the Pontryagin maximum principle with an HJB residual so that trajectory and value function supervise each other",
            "learns a Schrödinger bridge between the marginals with an iterative proportional fitting scheme in path space",
            "solves the associated backward SDE with a network whose terminal condition is enforced exactly",
        ],
        benchmarks: &[
            "a 100-dimensional linear-quadratic regulator",
            "a swarm of quadrotors",
            "single-cell population snapshots",
            "the Merton portfolio problem",
            "crowd-motion benchmarks",
        ],
        free_keywords: &[
            "Hamilton–Jacobi–Bellman",
            "Schrödinger bridge",
            "reinforcement learning",
            "mean-field games",
        ],
        suffixes: &["Ctrl", "OT", "HJB"],
    },
];

/// Title adjectives, in title case.
pub const TITLE_ADJECTIVES: &[&str] = &[
    "Scalable",
    "Stable",
    "Provably Convergent",
    "Uncertainty-Aware",
    "Mesh-Free",
    "Data-Efficient",
    "Long-Horizon",
    "Resolution-Invariant",
    "Structure-Preserving",
    "Fast",
    "Robust",
    "Equivariant",
    "Memory-Efficient",
    "Certified",
];

/// Properties a paper can study, for "On the … of …" titles.
pub const PROPERTIES: &[&str] = &[
    "expressivity",
    "stability",
    "generalisation",
    "implicit bias",
    "identifiability",
    "sample complexity",
    "numerical robustness",
    "training dynamics",
    "calibration",
];

/// Acronym stems for proposed methods.
pub const ACRONYM_STEMS: &[&str] = &[
    "Stiff", "Sym", "Spectral", "Koop", "Multi", "Geo", "Cheb", "Wave", "Latent", "Sparse",
    "Causal", "Adjoint", "Hyper", "Meta", "Graph", "Lie", "Rough", "Pro", "Deep", "Mono",
];

/// Descriptions of the proposed method, completing "we introduce X, …".
pub const DESCRIPTORS: &[&str] = &[
    "a simple drop-in method",
    "a principled framework",
    "a lightweight architecture",
    "a training procedure",
    "a family of models",
    "a hybrid approach",
    "a modular algorithm",
];

/// Extra sentences on how the method is used in practice.
pub const DETAILS: &[&str] = &[
    "The approach requires no change to the underlying numerical solver and adds negligible memory overhead.",
    "All components are differentiable, so the method can be trained end to end with standard automatic differentiation.",
    "Our implementation runs on a single GPU and scales to problems with millions of degrees of freedom.",
    "The method has a single hyperparameter, which we show can be set robustly from a short pilot run.",
    "It can be combined with existing architectures and training pipelines without modification.",
];

/// Theoretical claims, completing "We prove that X …".
pub const THEORY: &[&str] = &[
    "is consistent under mild regularity assumptions on the vector field",
    "converges at the rate of the underlying discretisation",
    "is a universal approximator of the relevant class of flows",
    "preserves the invariants of the true dynamics up to a bounded error",
    "enjoys a generalisation bound that does not depend on the resolution of the data",
];

/// Result templates; `{b1}`, `{b2}`, `{name}` and `{x}` are filled in.
pub const RESULTS: &[&str] = &[
    "On {b1} and {b2}, {name} reduces the relative L2 error by {x}% compared with strong baselines.",
    "Experiments on {b1} and {b2} show that {name} matches the accuracy of classical solvers at a fraction of the cost.",
    "On {b1}, {name} achieves a {x}-fold speed-up in wall-clock time, and it remains stable on {b2} where previous methods diverge.",
    "Across {b1} and {b2}, {name} improves long-horizon forecasts and halves the number of function evaluations.",
    "{name} outperforms recent neural baselines on {b1} and {b2} while using {x}% fewer parameters.",
];

/// Closing sentences for double-blind submissions.
pub const CLOSINGS_ANONYMOUS: &[&str] = &[
    "Code will be released upon acceptance.",
    "We release an anonymised implementation to support reproducibility.",
    "These results suggest that numerical analysis and deep learning have much more to offer each other.",
    "",
];

/// Venues where published-track papers appeared.
pub const VENUES: &[&str] = &[
    "ICML 2026",
    "ICLR 2026",
    "NeurIPS 2025",
    "the Journal of Computational Physics",
    "SIAM Journal on Scientific Computing",
    "Nature Machine Intelligence",
    "AISTATS 2026",
];
