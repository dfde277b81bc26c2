"""Coolant transport and mixing: hot and cold legs, plenums, steam-generator tubes.

Every volume of the primary circuit is a well-mixed node whose state is the specific enthalpy
``h`` [J/kg] of its water; temperature and density follow from (p, h). A pipe is a chain of N
nodes: its transport delay tau = M/m is kept exactly in the mean, and a step at the inlet arrives
spread over about tau/sqrt(N) (the chain's impulse response is a gamma distribution of shape N;
Levenspiel, *Chemical Reaction Engineering*, 3rd ed. 1999, ch. 14, "tanks-in-series" model).
Four to six nodes per leg are enough to show the delay of a temperature front at ODE cost.

Node energy balance (fixed volume, first law for an open system with the node's own mass
change carried by the outflow):

.. math:: M\\,\\frac{dh}{dt} = \\dot m_{in}(h_{in} - h) + Q + V\\frac{dp}{dt}

The last term (compression work) is left out here: it is below 0.01 % of the energy produced in
any transient. Flow reversal is upwind: the inlet is whichever neighbour the flow comes from.

Water compressibility is neglected in the mass balance, so a node's mass changes only through its
density change with enthalpy; the sum of these over the loops is the surge flow into the
pressurizer (:func:`expansion_surge_flow`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nppsim._jit import njit
from nppsim.physics._coolprop import coolprop, state

__all__ = [
    "chain_enthalpy_derivatives",
    "chain_spread",
    "density_enthalpy_slope",
    "expansion_surge_flow",
    "mixed_enthalpy",
    "mixing_matrix_outlet",
    "mixing_volume_derivative",
    "plenum_derivative",
    "transport_time",
]


@njit
def mixing_volume_derivative(
    mass_flow: float,
    h_upstream: float,
    h_downstream: float,
    h: float,
    mass: float,
    heat: float = 0.0,
) -> float:
    """Enthalpy rate of a well-mixed node on a pipe with flow in either direction.

    .. math:: M\\,\\frac{dh}{dt} = |\\dot m|\\,(h_{in} - h) + Q, \\quad
              h_{in} = h_{up}\\ (\\dot m \\ge 0),\\ h_{down}\\ (\\dot m < 0)

    Parameters
    ----------
    mass_flow : float
        Flow through the node, positive in the normal direction [kg/s].
    h_upstream : float
        Enthalpy of the node before it in the normal direction [J/kg].
    h_downstream : float
        Enthalpy of the node after it [J/kg].
    h : float
        The node's enthalpy [J/kg].
    mass : float
        The node's water mass [kg].
    heat : float
        Heat added to the node [W] (negative: removed).

    Returns
    -------
    float
        dh/dt [J/kg/s].
    """
    h_in = h_upstream if mass_flow >= 0.0 else h_downstream
    return (abs(mass_flow) * (h_in - h) + heat) / mass


def chain_enthalpy_derivatives(
    mass_flow: float,
    h_inlet: float,
    h_outlet_side: float,
    h_nodes: ArrayLike,
    masses: ArrayLike,
    heat: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Enthalpy rates of a chain of N well-mixed nodes (a pipe or a tube bundle).

    Node j receives the flow of node j-1 (forward flow) or node j+1 (reverse flow):

    .. math:: M_j\\,\\frac{dh_j}{dt} = |\\dot m|\\,(h_{j\\mp1} - h_j) + Q_j

    Parameters
    ----------
    mass_flow : float
        Flow, positive from the inlet end to the outlet end [kg/s].
    h_inlet : float
        Enthalpy entering at the inlet end with forward flow [J/kg].
    h_outlet_side : float
        Enthalpy entering at the outlet end with reverse flow [J/kg].
    h_nodes : array_like
        Node enthalpies, inlet to outlet [J/kg], shape (N,).
    masses : array_like
        Node water masses [kg], shape (N,) or scalar.
    heat : array_like, optional
        Heat added to each node [W], shape (N,).

    Returns
    -------
    ndarray
        dh_j/dt [J/kg/s], shape (N,).
    """
    h = np.asarray(h_nodes, dtype=float)
    if mass_flow >= 0.0:
        h_in = np.concatenate(([h_inlet], h[:-1]))
    else:
        h_in = np.concatenate((h[1:], [h_outlet_side]))
    q = 0.0 if heat is None else np.asarray(heat, dtype=float)
    return (abs(mass_flow) * (h_in - h) + q) / np.asarray(masses, dtype=float)


def plenum_derivative(
    inflows: ArrayLike,
    h_inflows: ArrayLike,
    h: float,
    mass: float,
    heat: float = 0.0,
) -> float:
    """Enthalpy rate of a perfectly mixed plenum fed by several streams.

    .. math:: M\\,\\frac{dh}{dt} = \\sum_i \\max(\\dot m_i, 0)\\,(h_i - h) + Q

    Streams with m_i < 0 leave the plenum at its own enthalpy and do not change h. Lower plenum:
    the cold legs (reverse flow in an idle loop leaves the downcomer); upper plenum: the core
    outlet and the core bypass, plus any hot leg with reverse flow.

    Parameters
    ----------
    inflows : array_like
        Flows of the connected streams, positive into the plenum [kg/s].
    h_inflows : array_like
        Enthalpies of those streams where they enter [J/kg].
    h : float
        Plenum enthalpy [J/kg].
    mass : float
        Plenum water mass [kg].
    heat : float
        Heat added [W].

    Returns
    -------
    float
        dh/dt [J/kg/s].
    """
    m = np.maximum(np.asarray(inflows, dtype=float), 0.0)
    return (float(np.dot(m, np.asarray(h_inflows, dtype=float) - h)) + heat) / mass


def mixed_enthalpy(inflows: ArrayLike, h_inflows: ArrayLike, h_default: float) -> float:
    """Flow-weighted enthalpy of the streams that enter a junction (instant perfect mixing).

    .. math:: h_{mix} = \\sum \\dot m_i^+ h_i / \\sum \\dot m_i^+

    Parameters
    ----------
    inflows : array_like
        Flows, positive entering [kg/s].
    h_inflows : array_like
        Their enthalpies [J/kg].
    h_default : float
        Value returned when nothing enters [J/kg].

    Returns
    -------
    float
        Mixed enthalpy [J/kg].
    """
    m = np.maximum(np.asarray(inflows, dtype=float), 0.0)
    total = float(m.sum())
    if total <= 0.0:
        return h_default
    return float(np.dot(m, np.asarray(h_inflows, dtype=float))) / total


def mixing_matrix_outlet(matrix: ArrayLike, h_inlets: ArrayLike) -> NDArray[np.float64]:
    """Enthalpies of core sectors fed by loops with incomplete mixing in downcomer and plenum.

    .. math:: h_{out,k} = \\sum_i C_{ki}\\,h_{in,i}, \\quad \\sum_i C_{ki} = 1

    C is the mixing matrix (identity: no mixing, each loop feeds its sector; all entries 1/N:
    perfect mixing). VVER-1000 measurements (the V1000CT-2 benchmark, Kozloduy-6) show strong
    sector-wise, incomplete mixing; its coefficients were not available here.

    Parameters
    ----------
    matrix : array_like
        Mixing matrix C, shape (K, N), rows summing to 1 [1].
    h_inlets : array_like
        Inlet enthalpies, shape (N,) [J/kg].

    Returns
    -------
    ndarray
        Outlet enthalpies, shape (K,) [J/kg].
    """
    c = np.asarray(matrix, dtype=float)
    if not np.allclose(c.sum(axis=1), 1.0):
        raise ValueError("each row of the mixing matrix must sum to 1")
    return c @ np.asarray(h_inlets, dtype=float)


def transport_time(mass: float, mass_flow: float) -> float:
    """Residence (transport) time of a volume: tau = M / |m| [s].

    Parameters
    ----------
    mass : float
        Water mass [kg].
    mass_flow : float
        Flow through it [kg/s].

    Returns
    -------
    float
        tau [s] (infinite at zero flow).
    """
    return mass / abs(mass_flow) if mass_flow != 0.0 else float("inf")


def chain_spread(tau: float, n_nodes: int) -> float:
    """Standard deviation of the arrival time of a front through N mixed nodes: tau/sqrt(N) [s].

    Parameters
    ----------
    tau : float
        Total transport time [s].
    n_nodes : int
        Number of nodes [1].

    Returns
    -------
    float
        Spread [s].
    """
    return tau / np.sqrt(n_nodes)


def density_enthalpy_slope(pressure: float, enthalpy: float) -> float:
    """Partial derivative of water density with enthalpy at constant pressure (IF97).

    Central difference, 100 J/kg step.

    Parameters
    ----------
    pressure : float
        Pressure [Pa].
    enthalpy : float
        Specific enthalpy [J/kg].

    Returns
    -------
    float
        (d rho/d h)_p [kg/m3 per J/kg], negative for liquid water.
    """
    cp = coolprop()
    water = state("thermal_mixing")
    dh = 100.0
    water.update(cp.HmassP_INPUTS, enthalpy + dh, pressure)
    hi = water.rhomass()
    water.update(cp.HmassP_INPUTS, enthalpy - dh, pressure)
    return (hi - water.rhomass()) / (2.0 * dh)


def expansion_surge_flow(
    volumes: ArrayLike,
    drho_dh: ArrayLike,
    dh_dt: ArrayLike,
) -> float:
    """Surge flow into the pressurizer from the thermal expansion of the primary water.

    .. math:: \\dot m_{surge} = -\\sum_j V_j \\Big(\\frac{\\partial\\rho}{\\partial h}\\Big)_p
              \\frac{dh_j}{dt}

    Loop volumes are rigid and water is taken as incompressible in pressure, so every kilogram a
    node loses by expansion goes to the pressurizer (plus net make-up, which the caller adds).

    Parameters
    ----------
    volumes : array_like
        Node volumes [m3].
    drho_dh : array_like
        (d rho/d h)_p of each node [kg/m3 per J/kg] (:func:`density_enthalpy_slope`).
    dh_dt : array_like
        Node enthalpy rates [J/kg/s].

    Returns
    -------
    float
        Surge flow into the pressurizer [kg/s] (negative: out-surge).
    """
    return -float(
        np.sum(
            np.asarray(volumes, dtype=float)
            * np.asarray(drho_dh, dtype=float)
            * np.asarray(dh_dt, dtype=float)
        )
    )
