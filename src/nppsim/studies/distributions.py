"""Distributions of study parameters, as inverse cumulative distribution functions.

Every sampler draws points in the unit hypercube [0, 1]^d; a parameter's distribution turns its
coordinate ``u`` into a value by the inverse CDF (``ppf``): ``x = F^-1(u)``. This keeps one
sampling method for every distribution and is what SALib's Sobol' and Morris designs assume (their
indices are computed from the structure of the design, not from the values).

* ``uniform``: ``low``, ``high``;
* ``normal``: ``mean``, ``std``, optionally truncated to ``low`` .. ``high``;
* ``lognormal``: ``median`` and ``sigma`` (standard deviation of ln x): x = median exp(sigma z),
  optionally truncated;
* ``triangular``: ``low``, ``mode``, ``high``;
* ``discrete``: ``values`` with optional ``weights`` (equal by default).

A truncated distribution is sampled as F^-1(F(low) + u (F(high) - F(low))).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats


class FieldError(ValueError):
    """A bad field of a study entry (turned into an InputError naming the file by the caller)."""

    def __init__(self, field: str, value: Any, msg: str) -> None:
        super().__init__(msg)
        self.field, self.value, self.msg = field, value, msg


@dataclass(frozen=True)
class Distribution:
    """A parameter's distribution (values in the parameter's unit).

    Attributes
    ----------
    kind : str
        ``uniform``, ``normal``, ``lognormal``, ``triangular`` or ``discrete``.
    args : dict
        Its parameters as given.
    values, weights : tuple of float
        The values and normalised weights of a discrete distribution.
    """

    kind: str
    args: dict[str, float] = field(default_factory=dict)
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    # -- the distribution ----------------------------------------------------------------------
    def _frozen(self) -> Any:
        a = self.args
        if self.kind == "normal":
            return stats.norm(loc=a["mean"], scale=a["std"])
        if self.kind == "lognormal":
            return stats.lognorm(s=a["sigma"], scale=a["median"])
        if self.kind == "triangular":
            width = a["high"] - a["low"]
            return stats.triang(c=(a["mode"] - a["low"]) / width, loc=a["low"], scale=width)
        raise AssertionError(self.kind)

    @property
    def support(self) -> tuple[float, float]:
        """Lowest and highest values (infinite for an untruncated normal or lognormal)."""
        a = self.args
        if self.kind == "discrete":
            return min(self.values), max(self.values)
        if self.kind in ("uniform", "triangular"):
            return a["low"], a["high"]
        lo = a.get("low", -math.inf if self.kind == "normal" else 0.0)
        return lo, a.get("high", math.inf)

    @property
    def bounded(self) -> bool:
        """Whether both ends of the support are finite."""
        lo, hi = self.support
        return (
            math.isfinite(lo)
            and math.isfinite(hi)
            and not (self.kind == "lognormal" and "low" not in self.args)
        )

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at cumulative probabilities ``u`` in [0, 1] (the inverse CDF).

        An unbounded distribution at u = 0 or 1 gives its value at the nearest probability
        inside (0, 1), never an infinite value.
        """
        u = np.asarray(u, dtype=float)
        a = self.args
        if self.kind == "uniform":
            return a["low"] + u * (a["high"] - a["low"])
        if self.kind == "discrete":
            cum = np.cumsum(self.weights)[:-1]
            idx = np.searchsorted(cum, u, side="right")
            return np.asarray(self.values)[np.minimum(idx, len(self.values) - 1)]
        dist = self._frozen()
        if self.kind == "triangular":
            return dist.ppf(u)
        lo, hi = a.get("low"), a.get("high")
        f_lo = float(dist.cdf(lo)) if lo is not None else 0.0
        f_hi = float(dist.cdf(hi)) if hi is not None else 1.0
        q = f_lo + u * (f_hi - f_lo)
        tiny = np.finfo(float).eps
        q = np.clip(q, tiny, 1.0 - tiny)
        x = dist.ppf(q)
        if lo is not None or hi is not None:
            x = np.clip(x, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)
        return x

    def grid_levels(self, levels: int | None) -> list[float]:
        """The values a full grid takes: the discrete values; for a uniform distribution
        ``levels`` evenly spaced values from ``low`` to ``high``; otherwise the values at the
        probabilities (k + 1/2) / levels."""
        if self.kind == "discrete":
            return list(self.values)
        n = levels or 2
        if self.kind == "uniform":
            return [float(v) for v in np.linspace(self.args["low"], self.args["high"], n)]
        return [float(v) for v in self.ppf((np.arange(n) + 0.5) / n)]

    def describe(self) -> str:
        """One line: ``uniform 3000 to 5000``, ``normal 4000 ± 300``."""
        a = self.args
        trunc = ""
        if self.kind in ("normal", "lognormal") and ("low" in a or "high" in a):
            trunc = f", within {a.get('low', '-inf'):g} to {a.get('high', 'inf'):g}"
        if self.kind == "uniform":
            return f"uniform {a['low']:g} to {a['high']:g}"
        if self.kind == "normal":
            return f"normal {a['mean']:g} ± {a['std']:g}{trunc}"
        if self.kind == "lognormal":
            return f"lognormal median {a['median']:g}, sigma {a['sigma']:g}{trunc}"
        if self.kind == "triangular":
            return f"triangular {a['low']:g} / {a['mode']:g} / {a['high']:g}"
        vals = ", ".join(f"{v:g}" for v in self.values)
        equal = len(set(self.weights)) == 1
        return f"values {vals}" + ("" if equal else " (weighted)")


_NEEDS = {
    "uniform": ("low", "high"),
    "normal": ("mean", "std"),
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
    "discrete": ("values",),
}
_OPTIONAL = {"normal": ("low", "high"), "lognormal": ("low", "high"), "discrete": ("weights",)}
_ALL = ("values", "weights", "low", "high", "mean", "std", "median", "sigma", "mode")


def make_distribution(p: Any) -> Distribution:
    """The distribution of a study parameter entry (:class:`nppsim.studies.schema.Parameter`).

    Raises :class:`FieldError` naming the field of the entry that is wrong.
    """
    kind = p.distribution
    if kind is None:
        if p.values is None:
            raise FieldError(
                "distribution",
                "<missing>",
                "give distribution = uniform, normal, lognormal, triangular or discrete, "
                "or values = [...]",
            )
        kind = "discrete"
    need, optional = _NEEDS[kind], _OPTIONAL.get(kind, ())
    for name in _ALL:
        v = getattr(p, name)
        if v is None and name in need:
            raise FieldError(name, "<missing>", f"a {kind} distribution needs {', '.join(need)}")
        if v is not None and name not in need and name not in optional:
            raise FieldError(
                name, v, f"not a parameter of a {kind} distribution ({', '.join(need)})"
            )
    for name in _ALL:
        v = getattr(p, name)
        for x in v if isinstance(v, list) else [v]:
            if x is not None and not math.isfinite(x):
                raise FieldError(name, x, "a finite number")
    if kind == "discrete":
        values = tuple(float(v) for v in p.values)
        if not values:
            raise FieldError("values", [], "at least one value")
        if len(set(values)) != len(values):
            raise FieldError("values", list(values), "each value once (use weights for odds)")
        w = p.weights if p.weights is not None else [1.0] * len(values)
        if len(w) != len(values):
            raise FieldError("weights", w, f"one weight per value ({len(values)})")
        if any(x < 0 for x in w) or sum(w) <= 0:
            raise FieldError("weights", w, "weights >= 0 with a positive sum")
        total = float(sum(w))
        return Distribution("discrete", {}, values, tuple(float(x) / total for x in w))
    args = {n: float(getattr(p, n)) for n in (*need, *optional) if getattr(p, n) is not None}
    if kind in ("uniform", "triangular") and not args["low"] < args["high"]:
        raise FieldError("high", args["high"], f"greater than low ({args['low']:g})")
    if kind == "triangular" and not args["low"] <= args["mode"] <= args["high"]:
        raise FieldError("mode", args["mode"], "between low and high")
    if kind == "normal" and args["std"] <= 0:
        raise FieldError("std", args["std"], "greater than 0")
    if kind == "lognormal":
        if args["median"] <= 0:
            raise FieldError("median", args["median"], "greater than 0 (a lognormal is positive)")
        if args["sigma"] <= 0:
            raise FieldError("sigma", args["sigma"], "greater than 0")
        if args.get("low", 1.0) <= 0:
            raise FieldError("low", args["low"], "greater than 0 (a lognormal is positive)")
    if "low" in args and "high" in args and not args["low"] < args["high"]:
        raise FieldError("high", args["high"], f"greater than low ({args['low']:g})")
    if kind in ("normal", "lognormal"):
        d = Distribution(kind, args)
        f = d._frozen()
        mass = float(f.cdf(args.get("high", math.inf)) - f.cdf(args.get("low", -math.inf)))
        if mass < 1e-9:
            raise FieldError("low", args.get("low"), "the truncation leaves no probability")
    return Distribution(kind, args)
