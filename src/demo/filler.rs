//! Body text for demo PDFs: sentence pools per kind of section, displayed equations, figure
//! captions and a bibliography of real, well-known papers of the field.
//!
//! Pure data. `{m}` in a sentence stands for the paper's method name and `{k}` for one of its
//! keywords.

/// The kinds of section a paper body has, each with its own sentence pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// Motivation and contributions.
    Introduction,
    /// Prior work and background.
    Related,
    /// The proposed method and its analysis.
    Method,
    /// Experiments and ablations.
    Experiments,
    /// Discussion, limitations, conclusion.
    Discussion,
}

/// Sentences for a kind of section.
pub fn sentences(kind: SectionKind) -> &'static [&'static str] {
    match kind {
        SectionKind::Introduction => INTRODUCTION,
        SectionKind::Related => RELATED,
        SectionKind::Method => METHOD,
        SectionKind::Experiments => EXPERIMENTS,
        SectionKind::Discussion => DISCUSSION,
    }
}

const INTRODUCTION: &[&str] = &[
    "Differential equations are the language in which most of the physical sciences describe change, and deep learning offers a flexible way to learn them from data [1].",
    "The past few years have seen a rapid convergence of the two fields, with ideas flowing in both directions.",
    "On the one hand, numerical analysis provides tools to understand and improve the training of deep networks; on the other hand, neural networks can accelerate or replace expensive simulations.",
    "Despite this progress, practitioners still face a difficult trade-off between accuracy, computational cost and the physical plausibility of the learned model.",
    "A central difficulty is that small errors in the learned dynamics compound over long time horizons.",
    "In this paper we address this difficulty with {m}, which exploits the structure of the underlying equation rather than treating the network as a black box.",
    "Our main contributions are a new formulation of the learning problem, an efficient algorithm to solve it, and an empirical study on standard benchmarks.",
    "We further show that {m} is compatible with existing software for automatic differentiation and adaptive integration.",
    "This question is of direct practical relevance for the community working on {k}.",
    "Throughout, we emphasise simple designs that can be implemented in a few dozen lines of code.",
    "The remainder of the paper is organised as follows: we review related work, present our method, and report experiments before discussing limitations.",
    "Classical solvers are reliable but slow, while purely data-driven surrogates are fast but may violate basic physical constraints.",
];

const RELATED: &[&str] = &[
    "The interpretation of residual networks as discretised ordinary differential equations goes back to early work on the stability of deep architectures [2].",
    "Continuous-time models were popularised by the introduction of neural ordinary differential equations and the adjoint sensitivity method [1].",
    "Physics-informed approaches embed the governing equations directly into the loss function and have been applied to a wide range of forward and inverse problems [3].",
    "Operator learning methods instead learn the solution map of a family of equations and can be evaluated at arbitrary resolution [4].",
    "Stochastic extensions replace the deterministic vector field with a drift and diffusion term and are trained with path-space objectives.",
    "Score-based generative models can be understood as learning the time reversal of a diffusion process [5].",
    "Structure-preserving networks encode conservation laws or symmetries through their architecture rather than through penalties.",
    "Our work is complementary to these lines of research and can be combined with many of them.",
    "A comprehensive survey of the interplay between machine learning and scientific computing is beyond the scope of this paper; we refer the reader to recent reviews on {k}.",
    "Learned corrections to classical discretisations have been proposed for turbulence closure, shock capturing and weather prediction.",
    "Probabilistic numerics offers a complementary view in which the solver itself returns a distribution over solutions.",
    "Another line of work studies the approximation theory of neural networks for solutions of high-dimensional equations.",
    "Closest to our approach are methods that modify the numerical integrator used during training, although they typically require problem-specific tuning.",
];

const METHOD: &[&str] = &[
    "We consider a state x(t) evolving on a time interval [0, T] according to an unknown vector field that we approximate with a neural network.",
    "The parameters of the network are estimated by minimising a discrepancy between simulated and observed trajectories.",
    "The key idea of {m} is to decouple the accuracy of the learned dynamics from the accuracy of the numerical integration.",
    "Concretely, we introduce an auxiliary variable that tracks the local truncation error and penalise it during training.",
    "Gradients are computed by differentiating through the discretised solver, which avoids the instabilities of the continuous adjoint.",
    "Under a Lipschitz assumption on the vector field, the global error of the scheme is bounded by a constant times the step size raised to the order of the method.",
    "The overall cost of one training step is linear in the number of time steps and in the number of parameters.",
    "In practice we use a multilayer perceptron with smooth activations, since the theory requires a continuously differentiable vector field.",
    "Algorithmically, {m} alternates between a forward simulation, an error estimate and a parameter update.",
    "The resulting objective is differentiable almost everywhere and can be optimised with Adam and a cosine learning-rate schedule.",
    "We note that the construction does not depend on the dimension of the state, which makes it applicable to discretised partial differential equations.",
    "Proofs of all statements are deferred to the appendix.",
];

const EXPERIMENTS: &[&str] = &[
    "We evaluate {m} on synthetic and real-world benchmarks of increasing difficulty.",
    "All models are trained with the same budget of function evaluations and five random seeds, and we report the mean and standard deviation.",
    "Baselines include a classical solver at matched cost, a purely data-driven network and two recent hybrid methods.",
    "In representative trajectories the baselines drift after a few hundred steps, whereas our model stays close to the reference solution.",
    "Our method reduces the relative error by a wide margin on all tasks while remaining competitive in wall-clock time.",
    "The improvement is most pronounced on long horizons, where error accumulation dominates the behaviour of the baselines.",
    "An ablation shows that removing the error-control term degrades accuracy by roughly a factor of two.",
    "Training is stable across a broad range of learning rates, which we attribute to the improved conditioning of the objective.",
    "We also observe that the learned vector fields are smoother, as measured by the number of steps an adaptive solver takes.",
    "Hyperparameters were selected on a held-out validation set and are listed in the appendix.",
    "All experiments were run on a single NVIDIA A100 GPU; the largest run took about nine hours.",
];

const DISCUSSION: &[&str] = &[
    "We have presented {m}, a simple approach that brings ideas from numerical analysis into the training of neural differential equations.",
    "Our results indicate that respecting the structure of the underlying equation is at least as important as increasing model capacity.",
    "A limitation of the present work is that the theoretical guarantees rely on smoothness assumptions that do not hold for shocks or discontinuities.",
    "Extending the method to stochastic and partial differential equations with complex geometries is an exciting direction for future work.",
    "We hope that this work encourages further exchange between the communities working on deep learning and on {k}.",
    "The computational overhead of the method is modest, but it may become significant for very high-dimensional systems.",
    "Finally, we note that learned simulators used for scientific conclusions must be validated as carefully as any other numerical method.",
    "We do not foresee direct negative societal impacts of this work beyond those of scientific computing in general.",
    "Our experiments are limited to problems with a few thousand degrees of freedom, and scaling to industrial meshes will require further engineering.",
    "The choice of the reference solver matters: with a poorly resolved reference, the learned model inherits its bias.",
    "An interesting open question is whether the same ideas apply to chaotic systems, where only statistical properties of trajectories can be matched.",
    "More broadly, we believe that the numerical analysis community has much to contribute to the design of learning algorithms.",
    "In future work we plan to combine {m} with adaptive mesh refinement and with probabilistic numerical methods.",
    "We also intend to release a benchmark suite so that hybrid models can be compared on equal footing.",
    "The energy consumption of training was small compared with that of the classical simulations used to generate the data.",
];

/// Displayed equations, set centred and numbered.
pub const EQUATIONS: &[&str] = &[
    "dx(t)/dt = f(x(t), t; w),    x(0) = x0",
    "dX = mu(X, t) dt + sigma(X, t) dW",
    "L(w) = (1/N) sum_i || x_i - x(t_i; w) ||^2 + lambda R(w)",
    "x_{n+1} = x_n + h sum_j b_j k_j,    k_j = f(x_n + h sum_l a_jl k_l)",
    "|| x(T) - x_h(T) || <= C h^p exp(L T)",
    "G u(y) = integral k(y, z; w) u(z) dz",
    "H(q, p) = p^T M(q)^{-1} p / 2 + V(q)",
];

/// Figure captions for experiment figures.
pub const CAPTIONS: &[&str] = &[
    "Predicted trajectories over a long horizon. Our method (solid) stays close to the reference, while the baseline (dashed) drifts.",
    "Relative error as a function of integration time for our method and two baselines.",
    "Learned phase portrait compared with the ground truth; shaded regions show one standard deviation over five seeds.",
];

/// Well-known papers of the field, formatted as bibliography entries.
pub const REFERENCES: &[&str] = &[
    "R. T. Q. Chen, Y. Rubanova, J. Bettencourt, and D. Duvenaud. Neural ordinary differential equations. In Advances in Neural Information Processing Systems, 2018.",
    "E. Haber and L. Ruthotto. Stable architectures for deep neural networks. Inverse Problems, 34(1), 2017.",
    "M. Raissi, P. Perdikaris, and G. E. Karniadakis. Physics-informed neural networks: A deep learning framework for solving forward and inverse problems involving nonlinear partial differential equations. Journal of Computational Physics, 378:686-707, 2019.",
    "Z. Li, N. Kovachki, K. Azizzadenesheli, B. Liu, K. Bhattacharya, A. Stuart, and A. Anandkumar. Fourier neural operator for parametric partial differential equations. In International Conference on Learning Representations, 2021.",
    "Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon, and B. Poole. Score-based generative modeling through stochastic differential equations. In International Conference on Learning Representations, 2021.",
    "P. Kidger, J. Morrill, J. Foster, and T. Lyons. Neural controlled differential equations for irregular time series. In Advances in Neural Information Processing Systems, 2020.",
    "S. Greydanus, M. Dzamba, and J. Yosinski. Hamiltonian neural networks. In Advances in Neural Information Processing Systems, 2019.",
    "L. Lu, P. Jin, G. Pang, Z. Zhang, and G. E. Karniadakis. Learning nonlinear operators via DeepONet based on the universal approximation theorem of operators. Nature Machine Intelligence, 3:218-229, 2021.",
    "Y. Rubanova, R. T. Q. Chen, and D. Duvenaud. Latent ordinary differential equations for irregularly-sampled time series. In Advances in Neural Information Processing Systems, 2019.",
    "E. Dupont, A. Doucet, and Y. W. Teh. Augmented neural ODEs. In Advances in Neural Information Processing Systems, 2019.",
    "J. Brandstetter, D. Worrall, and M. Welling. Message passing neural PDE solvers. In International Conference on Learning Representations, 2022.",
    "D. Kochkov, J. A. Smith, A. Alieva, Q. Wang, M. P. Brenner, and S. Hoyer. Machine learning-accelerated computational fluid dynamics. Proceedings of the National Academy of Sciences, 118(21), 2021.",
    "M. Cranmer, S. Greydanus, S. Hoyer, P. Battaglia, D. Spergel, and S. Ho. Lagrangian neural networks. In ICLR Workshop on Integration of Deep Neural Models and Differential Equations, 2020.",
    "C. Finlay, J.-H. Jacobsen, L. Nurbekyan, and A. M. Oberman. How to train your neural ODE: the world of Jacobian and kinetic regularization. In International Conference on Machine Learning, 2020.",
    "E. Hairer, S. P. Nørsett, and G. Wanner. Solving Ordinary Differential Equations I: Nonstiff Problems. Springer, 2nd edition, 1993.",
    "J. Ho, A. Jain, and P. Abbeel. Denoising diffusion probabilistic models. In Advances in Neural Information Processing Systems, 2020.",
    "Y. Lipman, R. T. Q. Chen, H. Ben-Hamu, M. Nickel, and M. Le. Flow matching for generative modeling. In International Conference on Learning Representations, 2023.",
    "G. E. Karniadakis, I. G. Kevrekidis, L. Lu, P. Perdikaris, S. Wang, and L. Yang. Physics-informed machine learning. Nature Reviews Physics, 3:422-440, 2021.",
];
