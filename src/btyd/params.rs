//! What a fit produces: the parameters of each model, which model a fit is for, and the fit
//! result. The models' methods live in their own modules (`bgnbd`, `mbgnbd`, `paretonbd`,
//! `gammagamma`); the fitting driver (`fit`) builds [`Fit`]s. Both depend on this module and
//! never on each other's internals.

/// BG/NBD parameters (times in the unit of the data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbd {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Rate (inverse scale) of that gamma distribution, in the data's time unit.
    pub alpha: f64,
    /// First shape of the beta distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of that beta distribution.
    pub b: f64,
}

/// MBG/NBD parameters (times in the unit of the data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MbgNbd {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Rate (inverse scale) of that gamma distribution, in the data's time unit.
    pub alpha: f64,
    /// First shape of the beta distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of that beta distribution.
    pub b: f64,
}

/// Pareto/NBD parameters (times in the unit of the data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoNbd {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Rate of that gamma distribution, in the data's time unit.
    pub alpha: f64,
    /// Shape of the gamma distribution of dropout rates.
    pub s: f64,
    /// Rate of that gamma distribution, in the data's time unit.
    pub beta: f64,
}

/// Gamma-Gamma parameters (spend in the data's currency).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGamma {
    /// Shape of the gamma distribution of one purchase's value.
    pub p: f64,
    /// Shape of the gamma distribution of that distribution's rate across customers.
    pub q: f64,
    /// Rate of the latter (in the currency's unit).
    pub gamma: f64,
}

/// Which model a fit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    BgNbd,
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007; Hoppe & Wagner 2007).
    MbgNbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    ParetoNbd,
    /// Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Fader & Hardie 2013).
    GammaGamma,
}

impl ModelKind {
    /// A stable name: `bg_nbd`, `mbg_nbd`, `pareto_nbd` or `gamma_gamma`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ModelKind::BgNbd => "bg_nbd",
            ModelKind::MbgNbd => "mbg_nbd",
            ModelKind::ParetoNbd => "pareto_nbd",
            ModelKind::GammaGamma => "gamma_gamma",
        }
    }
}

/// Fitted parameters of one of the models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Params {
    /// BG/NBD parameters.
    BgNbd(BgNbd),
    /// MBG/NBD parameters.
    MbgNbd(MbgNbd),
    /// Pareto/NBD parameters.
    ParetoNbd(ParetoNbd),
    /// Gamma-Gamma parameters.
    GammaGamma(GammaGamma),
}

/// The result of a maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The model fitted.
    pub model: ModelKind,
    /// The estimates (the best point reached when `converged` is false).
    pub params: Params,
    /// The log-likelihood at `params`, summed over customers.
    pub log_likelihood: f64,
    /// Number of customers used.
    pub customers: usize,
    /// Whether the optimiser met its tolerance at an interior point.
    pub converged: bool,
    /// Optimiser iterations, over all starts and stages.
    pub iterations: usize,
    /// Why the fit did not converge; `None` when it did.
    pub message: Option<String>,
}
