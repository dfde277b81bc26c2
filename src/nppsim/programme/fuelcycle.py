"""Front end of the fuel cycle: feed, enrichment work and natural uranium for enriched fuel.

Mass balance of an enrichment cascade with product P at assay x_p, feed F at x_f and tails T at
x_t (assays are U-235 mass fractions [1]; masses of uranium [kg]):

    F = P + T,        F x_f = P x_p + T x_t
    F / P = (x_p - x_t) / (x_f - x_t)                                                   (1)

Separative work [kg-SWU] with the value function V(x) = (2x - 1) ln(x / (1 - x)):

    W = P V(x_p) + T V(x_t) - F V(x_f)                                                  (2)

(Benedict, Pigford and Levi, *Nuclear Chemical Engineering*, 2nd ed., McGraw-Hill 1981, ch. 12;
the same formulas as the WISE Uranium enrichment calculator and the UxC fuel calculator). Worked
example: 1 kg at 3.5 % from natural uranium (0.711 %) with 0.3 % tails needs 7.785 kg of feed and
4.34 SWU (tested).
"""

from __future__ import annotations

import numpy as np


def value_function(x: np.ndarray | float) -> np.ndarray:
    """V(x) = (2x - 1) ln(x / (1 - x)) [1], for an assay 0 < x < 1."""
    x = np.asarray(x, dtype=float)
    return (2.0 * x - 1.0) * np.log(x / (1.0 - x))


def feed_per_product(x_p: np.ndarray | float, x_f: float, x_t: float) -> np.ndarray:
    """Feed per unit of product, F / P = (x_p - x_t) / (x_f - x_t) [kg/kg], equation (1).

    Parameters
    ----------
    x_p, x_f, x_t : float or array
        Product, feed and tails assays (U-235 mass fractions) [1]; x_t < x_f < x_p.
    """
    x_p = np.asarray(x_p, dtype=float)
    if not 0.0 < x_t < x_f:
        raise ValueError("need 0 < tails assay < feed assay")
    if np.any(x_p <= x_f):
        raise ValueError("product assay must exceed the feed assay")
    return (x_p - x_t) / (x_f - x_t)


def swu_per_product(x_p: np.ndarray | float, x_f: float, x_t: float) -> np.ndarray:
    """Separative work per unit of product [kg-SWU/kg], equation (2) divided by P.

    W / P = V(x_p) + (F/P - 1) V(x_t) - (F/P) V(x_f).
    """
    fp = feed_per_product(x_p, x_f, x_t)
    return value_function(x_p) + (fp - 1.0) * value_function(x_t) - fp * value_function(x_f)
