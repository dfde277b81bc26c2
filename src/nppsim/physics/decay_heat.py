r"""Decay heat after shutdown and during operation: ANSI/ANS-5.1-2004.

Two forms, from the same constants (``data/ans51_2004.toml``):

* :func:`decay_heat_fraction`, the standard's closed form after constant-power operation for a time
  T followed by shutdown, vectorized over the time after shutdown t;
* :class:`DecayHeatModel`, a set of first-order equations for the plant model, in which the decay
  power follows any fission-power history.

Normalization. The standard relates the decay power to :math:`P_0 = F Q`, the fission rate F times
the *total* recoverable energy per fission Q (about 200 MeV), which includes the energy that the
fission products and actinides release later by decay. :math:`P_0` is therefore the total thermal
power of the core in steady operation, decay heat included; "P_operating" and "P_fission" below
mean this :math:`F Q`, never the prompt part alone. A plant model that adds the decay power from
:class:`DecayHeatModel` to a neutronic power must deliver only the remainder promptly,
:math:`P_{\rm prompt} = P_f - P_{\rm decay,eq}` at equilibrium (about 93.5 % of :math:`P_f`).

Closed form (ANS-5.1-2004; constant power, then shutdown), with fission fractions :math:`f_i`
(fraction of fissions in nuclide i; equal Q for all nuclides):

.. math::

    \frac{P_d(t, T)}{P_0} = \frac{1}{Q}\Big[G(t, T)\sum_i f_i F_i(t, T)
        + F_{U239}(t, T) + F_{Np239}(t, T)\Big]

    F_i(t, T) = \sum_{k=1}^{23} \frac{\alpha_{ik}}{\lambda_{ik}} e^{-\lambda_{ik} t}
        \left(1 - e^{-\lambda_{ik} T}\right)

    F_{U239} = E_U R \left(1 - e^{-\lambda_U T}\right) e^{-\lambda_U t}

    F_{Np239} = E_N R \left[\frac{\lambda_U}{\lambda_U - \lambda_N}
        \left(1 - e^{-\lambda_N T}\right) e^{-\lambda_N t}
        - \frac{\lambda_N}{\lambda_U - \lambda_N} \left(1 - e^{-\lambda_U T}\right)
        e^{-\lambda_U t}\right]

with R the U-239 atoms produced per fission. The capture factor is
:math:`G = 1 + (3.24\times10^{-6} + 5.23\times10^{-10}\,t)\,T^{0.4}\,\psi` for
:math:`t \le 10^4` s (ψ = 1 here; T capped at 4 years, the formula's range) and the tabulated upper
bound :math:`G_{\max}(t)`, interpolated in ln t, beyond. This is how the validation reference was
evaluated (plants-research.md §5). The switch makes the decay power jump up by about 5 % at
t = 10^4 s (G from 1.013 to 1.071 for T = 3 y): an artefact of combining the ψ = 1 formula with the
bounding table, kept because the reference values beyond 10^4 s use G_max.

Limits: light-water-reactor fuel, four fissioning nuclides (assign others, e.g. Pu-240, Pu-242,
to the nearest of them), no fission-product burnout beyond G, no delayed-neutron fissions after
shutdown (the point-kinetics model gives those).

References
----------
* American Nuclear Society, ANSI/ANS-5.1-2004, Decay Heat Power in Light Water Reactors (2005).
* Constants as transcribed in the NRC fuel-performance module ``MODULE Decay`` (I. Porter, NRC,
  2015; function ``fans51`` by K. Geelhood, PNNL); see ``data/ans51_2004.toml`` and
  plants-research.md §5.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit

__all__ = [
    "NUCLIDES",
    "DecayHeatModel",
    "capture_factor",
    "capture_factor_switch_time",
    "decay_heat_fraction",
    "decay_heat_model",
]

FloatArray = NDArray[np.float64]

NUCLIDES = ("U235", "U238", "Pu239", "Pu241")

_FRACTION_SUM_TOL = 1e-6  # fission fractions may sum to at most 1 + this


@dataclass(frozen=True, eq=False)
class _Constants:
    """ANS-5.1-2004 constants as loaded from ``data/ans51_2004.toml`` (SI except MeV)."""

    alpha: dict[str, FloatArray]  # [MeV/fission/s] per nuclide, 23 groups
    lam: dict[str, FloatArray]  # [1/s] per nuclide, 23 groups
    g_a: float  # [s^-0.4]
    g_b: float  # [s^-1.4]
    g_exponent: float  # [1]
    t_switch: float  # [s]
    psi: float  # [1]
    t_cap: float  # [s]
    gmax_log_t: FloatArray  # ln of the G_max times [ln s]
    gmax_g: FloatArray  # [1]
    e_u239: float  # [MeV]
    e_np239: float  # [MeV]
    lam_u239: float  # [1/s]
    lam_np239: float  # [1/s]


@cache
def _constants() -> _Constants:
    """Load (once) the ANS-5.1-2004 constants shipped with nppsim."""
    path = resources.files("nppsim.physics").joinpath("data", "ans51_2004.toml")
    with path.open("rb") as stream:
        data = tomllib.load(stream)
    fp = data["fission_products"]
    g = data["capture_factor"]
    act = data["actinides"]

    def frozen(values: list[float]) -> FloatArray:
        array = np.array(values, dtype=float)
        array.setflags(write=False)
        return array

    return _Constants(
        alpha={n: frozen(fp[n]["alpha"]) for n in NUCLIDES},
        lam={n: frozen(fp[n]["lambda"]) for n in NUCLIDES},
        g_a=float(g["a_per_s0_4"]),
        g_b=float(g["b_per_s1_4"]),
        g_exponent=float(g["exponent"]),
        t_switch=float(g["t_switch_s"]),
        psi=float(g["psi"]),
        t_cap=float(g["operating_time_cap_s"]),
        gmax_log_t=frozen(np.log(g["g_max"]["times_s"]).tolist()),
        gmax_g=frozen(g["g_max"]["g"]),
        e_u239=float(act["energy_u239_mev"]),
        e_np239=float(act["energy_np239_mev"]),
        lam_u239=float(act["lambda_u239_per_s"]),
        lam_np239=float(act["lambda_np239_per_s"]),
    )


# --------------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------------


def _fraction_vector(fission_fractions: Mapping[str, float]) -> FloatArray:
    """Fission fractions in :data:`NUCLIDES` order; missing nuclides count as 0."""
    unknown = set(fission_fractions) - set(NUCLIDES)
    if unknown:
        raise ValueError(
            f"fission_fractions: unknown nuclide(s) {sorted(unknown)}; allowed: {list(NUCLIDES)}"
        )
    f = np.array([float(fission_fractions.get(n, 0.0)) for n in NUCLIDES])
    if not np.all(np.isfinite(f)) or np.any(f < 0.0):
        raise ValueError(f"fission_fractions = {dict(fission_fractions)}: each must be >= 0")
    if f.sum() > 1.0 + _FRACTION_SUM_TOL:
        raise ValueError(
            f"fission_fractions = {dict(fission_fractions)} sum to {f.sum():.6g}: at most 1 "
            "(they are fractions of all fissions)"
        )
    return f


def _check_positive(name: str, value: float, allow_inf: bool = False) -> float:
    """Return ``value`` as float if it is > 0 (and finite unless ``allow_inf``)."""
    value = float(value)
    if not value > 0.0 or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{name} = {value!r}: must be > 0" + ("" if allow_inf else " and finite"))
    return value


def _check_capture_r(capture_r: float) -> float:
    """Return ``capture_r`` as float if it is >= 0 and finite."""
    capture_r = float(capture_r)
    if not (capture_r >= 0.0 and math.isfinite(capture_r)):
        raise ValueError(f"capture_r = {capture_r!r}: must be >= 0 and finite")
    return capture_r


def _check_times(name: str, t_s: ArrayLike) -> FloatArray:
    """Return the times as a float array if all are finite and >= 0 [s]."""
    t = np.asarray(t_s, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0.0):
        raise ValueError(f"{name}: all times must be finite and >= 0 (got {t_s!r})")
    return t


# --------------------------------------------------------------------------------------------------
# Capture factor and closed form
# --------------------------------------------------------------------------------------------------


def capture_factor(t_s: ArrayLike, t_operating_s: float) -> FloatArray:
    r"""Neutron-capture factor G(t, T) of ANS-5.1-2004 for the fission-product decay power.

    .. math::

        G = 1 + (a + b\,t)\,\min(T, T_{\rm cap})^{0.4}\,\psi \quad (t \le 10^4\ {\rm s}),
        \qquad G = G_{\max}(t) \quad (t > 10^4\ {\rm s})

    with a = 3.24e-6 s^-0.4, b = 5.23e-10 s^-1.4, ψ = 1, T_cap = 1.2614e8 s (4 y), and
    :math:`G_{\max}` interpolated linearly in ln t (1 beyond 1e10 s).

    Parameters
    ----------
    t_s : array_like
        Time after shutdown t [s], >= 0.
    t_operating_s : float
        Operating time T [s], > 0 (``inf`` allowed: capped).

    Returns
    -------
    ndarray
        G [1], shape of ``t_s``.

    References
    ----------
    ANSI/ANS-5.1-2004, as transcribed in the NRC module ``MODULE Decay`` (function G).
    """
    c = _constants()
    t = _check_times("t_s", t_s)
    big_t = min(_check_positive("t_operating_s", t_operating_s, allow_inf=True), c.t_cap)
    formula = 1.0 + (c.g_a + c.g_b * t) * big_t**c.g_exponent * c.psi
    log_t = np.log(np.maximum(t, c.t_switch))
    table = np.interp(log_t, c.gmax_log_t, c.gmax_g, right=1.0)
    return np.where(t <= c.t_switch, formula, table)


@njit
def capture_factor_k(t, t_operating_capped, a, b, exponent, psi, t_switch, gmax_log_t, gmax_g):
    """Compiled scalar form of :func:`capture_factor`: G(t, T) [1].

    Parameters as :func:`capture_factor`, with the standard's constants passed in (see
    :func:`capture_factor_constants`): ``t`` [s] since shutdown, ``t_operating_capped`` [s]
    (already capped at 4 y), ``a`` [s^-0.4], ``b`` [s^-1.4], ``exponent``, ``psi``, ``t_switch``
    [s], and the G_max table (``gmax_log_t`` [ln s], ``gmax_g`` [1]).
    """
    if t <= t_switch:
        return 1.0 + (a + b * t) * t_operating_capped**exponent * psi
    x = np.log(max(t, t_switch))
    n = gmax_log_t.shape[0]
    if x >= gmax_log_t[n - 1]:
        return 1.0
    if x <= gmax_log_t[0]:
        return gmax_g[0]
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if gmax_log_t[mid] <= x:
            lo = mid
        else:
            hi = mid
    f = (x - gmax_log_t[lo]) / (gmax_log_t[hi] - gmax_log_t[lo])
    return gmax_g[lo] + f * (gmax_g[hi] - gmax_g[lo])


def capture_factor_constants(t_operating_s: float) -> tuple[np.ndarray, np.ndarray]:
    """The arguments of :func:`capture_factor_k` for an operating time T [s], as two arrays:
    ``[T_capped, a, b, exponent, psi, t_switch]`` and the G_max table ``[ln t..., g...]``."""
    c = _constants()
    big_t = min(_check_positive("t_operating_s", t_operating_s, allow_inf=True), c.t_cap)
    scalars = np.array([big_t, c.g_a, c.g_b, c.g_exponent, c.psi, c.t_switch])
    return scalars, np.concatenate((c.gmax_log_t, c.gmax_g))


def capture_factor_switch_time() -> float:
    """Time after shutdown at which G switches from the formula to the G_max table [s].

    The decay power steps up there by about 5 % (see the module docstring): a time integrator
    should stop at this time and restart rather than step across it.

    Returns
    -------
    float
        Switch time t_switch [s] (1e4 s in ANS-5.1-2004).

    References
    ----------
    ANSI/ANS-5.1-2004 (see :func:`capture_factor`).
    """
    return _constants().t_switch


def decay_heat_fraction(
    t_s: ArrayLike,
    t_operating_s: float,
    fission_fractions: Mapping[str, float],
    q_mev: float = 200.0,
    capture_r: float = 0.6,
) -> FloatArray:
    r"""Decay power over operating power after constant-power operation, then shutdown.

    .. math::

        \frac{P_d}{P_0} = \frac{G(t,T)\sum_i f_i F_i(t,T) + F_{U239}(t,T) + F_{Np239}(t,T)}{Q}

    (the terms are written out in the module docstring). :math:`P_0 = F Q` is the total thermal
    power in operation, decay heat included.

    Parameters
    ----------
    t_s : array_like
        Time after shutdown t [s], >= 0.
    t_operating_s : float
        Time of operation at constant power before shutdown T [s], > 0 (``inf`` allowed).
    fission_fractions : mapping of str to float
        Fraction of fissions in each of ``"U235"``, ``"U238"``, ``"Pu239"``, ``"Pu241"`` [1];
        missing nuclides count as 0; the sum must not exceed 1.
    q_mev : float, optional
        Total recoverable energy per fission Q [MeV], including decay energy.
    capture_r : float, optional
        U-239 atoms produced per fission R [1].

    Returns
    -------
    ndarray
        :math:`P_d/P_0` [1], shape of ``t_s``.

    References
    ----------
    ANSI/ANS-5.1-2004 (see the module docstring).
    """
    c = _constants()
    t = _check_times("t_s", t_s)
    big_t = _check_positive("t_operating_s", t_operating_s, allow_inf=True)
    q = _check_positive("q_mev", q_mev)
    r = _check_capture_r(capture_r)
    f = _fraction_vector(fission_fractions)

    lam = np.concatenate([c.lam[n] for n in NUCLIDES])
    # amplitude of each group after operation for T: f_i alpha/lambda (1 - exp(-lambda T))
    amp = np.concatenate([fi * c.alpha[n] / c.lam[n] for fi, n in zip(f, NUCLIDES, strict=True)])
    amp = amp * -np.expm1(-lam * big_t)
    fission_products = np.exp(-np.multiply.outer(t, lam)) @ amp

    lu, ln = c.lam_u239, c.lam_np239
    sat_u = -math.expm1(-lu * big_t)
    sat_n = -math.expm1(-ln * big_t)
    decay_u = np.exp(-lu * t)
    u239 = c.e_u239 * r * sat_u * decay_u
    np239 = (
        c.e_np239
        * r
        * (lu / (lu - ln) * sat_n * np.exp(-ln * t) - ln / (lu - ln) * sat_u * decay_u)
    )
    return (capture_factor(t, big_t) * fission_products + u239 + np239) / q


# --------------------------------------------------------------------------------------------------
# Dynamic form
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DecayHeatModel:
    r"""Decay heat as first-order states driven by the fission power (build with
    :func:`decay_heat_model`).

    .. math:: \frac{dh_k}{dt} = a_k P_f(t) - \lambda_k h_k, \qquad
        P_d = G\,\sum_{k \le 92} h_k + \sum_{k > 92} h_k

    The first 92 states are the 23 fission-product groups of U-235, U-238, Pu-239 and Pu-241 (in
    :data:`NUCLIDES` order), with :math:`a_k = f_i \alpha_{ik}/Q`. The last two are the modes of
    the U-239 -> Np-239 chain: with :math:`\lambda_U`, :math:`a = R\lambda_U (E_U - E_N
    \lambda_N/(\lambda_U - \lambda_N))/Q` (U-239 decay power less the part of Np-239 not yet grown
    in), and with :math:`\lambda_N`, :math:`a = R E_N \lambda_U \lambda_N/(\lambda_U -
    \lambda_N)/Q`. Their sum is the actinide decay power; each alone has no physical meaning. For
    constant power followed by shutdown the states reproduce the closed form exactly.

    States are powers [W] when ``p_fission`` is in W (any unit works: it carries through).

    Attributes
    ----------
    yield_per_fission_power : ndarray, shape (94,)
        :math:`a_k` [1/s].
    decay_constants : ndarray, shape (94,)
        :math:`\lambda_k` [1/s].
    n_fission_product_groups : int
        Number of leading states to which the capture factor G applies (92).
    """

    yield_per_fission_power: FloatArray
    decay_constants: FloatArray
    n_fission_product_groups: int

    @property
    def n_states(self) -> int:
        """Number of states (94)."""
        return int(self.decay_constants.size)

    def _column(self, values: FloatArray, ndim: int) -> FloatArray:
        """Per-state values shaped to broadcast against states of ``ndim`` dimensions."""
        return values.reshape((-1,) + (1,) * (ndim - 1))

    def derivatives(self, h: ArrayLike, p_fission: ArrayLike) -> FloatArray:
        r"""Time derivatives of the decay-heat states.

        .. math:: \frac{dh_k}{dt} = a_k P_f - \lambda_k h_k

        Parameters
        ----------
        h : array_like, shape (94,) or (94, m)
            Decay-heat states [W] (columns: m independent states, e.g. vectorized ``solve_ivp``).
        p_fission : float or array_like, shape (m,)
            Fission power :math:`P_f = F Q` [W] (decay energy included, see the module docstring).

        Returns
        -------
        ndarray
            :math:`dh/dt` [W/s], shape of ``h``.

        References
        ----------
        ANSI/ANS-5.1-2004 pulse fits written as rate equations (see the class docstring).
        """
        h = np.asarray(h, dtype=float)
        if h.shape[:1] != (self.n_states,):
            raise ValueError(f"h has shape {h.shape}: its first axis must be {self.n_states}")
        a = self._column(self.yield_per_fission_power, h.ndim)
        lam = self._column(self.decay_constants, h.ndim)
        return a * np.asarray(p_fission, dtype=float) - lam * h

    def equilibrium(self, p_fission: float, t_operating_s: float) -> FloatArray:
        r"""States after operation at constant fission power for a time T, starting from zero.

        .. math:: h_k = \frac{a_k}{\lambda_k} P_f \left(1 - e^{-\lambda_k T}\right)

        Parameters
        ----------
        p_fission : float
            Constant fission power :math:`P_f` [W].
        t_operating_s : float
            Operating time T [s], > 0; ``inf`` gives the true equilibrium (a fixed point of
            :meth:`derivatives`).

        Returns
        -------
        ndarray, shape (94,)
            States [W].

        References
        ----------
        Integral of :meth:`derivatives` at constant :math:`P_f`.
        """
        big_t = _check_positive("t_operating_s", t_operating_s, allow_inf=True)
        lam = self.decay_constants
        return self.yield_per_fission_power / lam * -np.expm1(-lam * big_t) * float(p_fission)

    def power(
        self, h: ArrayLike, time_since_shutdown_s: ArrayLike, t_operating_s: float
    ) -> FloatArray:
        r"""Decay power from the states, with the capture factor on the fission products.

        .. math:: P_d = G(t_s, T) \sum_{k \le 92} h_k + \sum_{k > 92} h_k

        Approximation: the standard defines G for constant power followed by shutdown. Here G is
        evaluated at the time since the *last* shutdown (pass 0 while operating, G(0) ≈ 1.005
        for T = 3 y) and at the total operating time T, and multiplies the whole fission-product
        sum. This is exact for the standard's case (constant power, then shutdown); for other
        histories (power changes, restarts) it applies a factor of 1.00-1.2 that the standard
        does not define and that follows the latest shutdown, not the history. G also jumps up by
        about 5 % when the time since shutdown crosses 1e4 s (see the module docstring).

        Parameters
        ----------
        h : array_like, shape (94,) or (94, m)
            Decay-heat states [W].
        time_since_shutdown_s : float or array_like, shape (m,)
            Time since the last shutdown t_s [s], 0 while operating.
        t_operating_s : float
            Operating time T used in G [s], > 0 (capped at 4 y inside G).

        Returns
        -------
        ndarray
            Decay power [W], shape ``()`` or ``(m,)``.

        References
        ----------
        ANSI/ANS-5.1-2004 (see :func:`capture_factor`).
        """
        h = np.asarray(h, dtype=float)
        if h.shape[:1] != (self.n_states,):
            raise ValueError(f"h has shape {h.shape}: its first axis must be {self.n_states}")
        n = self.n_fission_product_groups
        g = capture_factor(time_since_shutdown_s, t_operating_s)
        return g * h[:n].sum(axis=0) + h[n:].sum(axis=0)


def decay_heat_model(
    fission_fractions: Mapping[str, float], q_mev: float = 200.0, capture_r: float = 0.6
) -> DecayHeatModel:
    r"""Build the rate-equation form of ANS-5.1-2004 for a fission mix.

    .. math:: a_k = f_i \alpha_{ik} / Q \ \ (k \le 92), \qquad
        a_U = R \lambda_U \Big(E_U - \frac{E_N \lambda_N}{\lambda_U - \lambda_N}\Big)/Q, \qquad
        a_N = \frac{R E_N \lambda_U \lambda_N}{(\lambda_U - \lambda_N) Q}

    Parameters
    ----------
    fission_fractions : mapping of str to float
        Fraction of fissions in ``"U235"``, ``"U238"``, ``"Pu239"``, ``"Pu241"`` [1] (sum <= 1).
    q_mev : float, optional
        Total recoverable energy per fission Q [MeV], including decay energy.
    capture_r : float, optional
        U-239 atoms produced per fission R [1].

    Returns
    -------
    DecayHeatModel
        94 states: 4 x 23 fission-product groups, then the U-239 and Np-239 modes.

    References
    ----------
    ANSI/ANS-5.1-2004 (see the module docstring).
    """
    c = _constants()
    q = _check_positive("q_mev", q_mev)
    r = _check_capture_r(capture_r)
    f = _fraction_vector(fission_fractions)
    lu, ln = c.lam_u239, c.lam_np239
    a = np.concatenate(
        [fi * c.alpha[n] / q for fi, n in zip(f, NUCLIDES, strict=True)]
        + [
            [
                r * lu * (c.e_u239 - c.e_np239 * ln / (lu - ln)) / q,
                r * c.e_np239 * lu * ln / ((lu - ln) * q),
            ]
        ]
    )
    lam = np.concatenate([c.lam[n] for n in NUCLIDES] + [[lu, ln]])
    a.setflags(write=False)
    lam.setflags(write=False)
    return DecayHeatModel(
        yield_per_fission_power=a,
        decay_constants=lam,
        n_fission_product_groups=sum(c.lam[n].size for n in NUCLIDES),
    )
