"""Deterministic LU factorization for the iteration matrices of the stiff integrator.

The integrator of :mod:`nppsim.engine.bdf` solves linear systems with the Newton iteration
matrix :math:`M = I - c J` (``c = h / alpha`` [s], ``J = df/dy`` [1/s]). The plant's ``J`` is
sparse and strongly structured: about 94 decay-heat states form a diagonal block of ``M``,
coupled to a few other rows and columns. Dense LAPACK would spend ``n^3/3`` operations on it and,
through multithreaded BLAS, could give results that depend on the thread count. This module is
written in Numba with a fixed order of operations (bit-for-bit reproducible), and keeps the
structure:

* ``M`` enters in compressed sparse row (CSR) form and is scattered into a dense work array (the
  values) with per-row and per-column lists of the positions that may be non-zero; the lists grow
  as fill-in appears, so each elimination step visits only the non-zero entries of its pivot
  column and pivot row;
* threshold partial pivoting: the diagonal candidate is kept as pivot while
  :math:`|a_{kk}| / s_k \\ge u \\max_{i \\ge k} |a_{ik}| / s_i` with ``u = 0.1`` (Duff, Erisman &
  Reid 2017, §5.4; Golub & Van Loan 2013, §3.4), else the largest scaled entry of the column is
  taken (a row swap). :math:`s_i` is the largest entry of row ``i`` of ``M`` (implicit row
  scaling: the rows of a plant model are in different units, Pa, K or 1, and without scaling a
  row in Pa would win every pivot test);
* a static Markowitz ordering of rows and columns (:func:`markowitz_order`) eliminates first the
  rows and columns with few entries, such as a diagonal decay-heat block;
* rows without an entry in the pivot column are skipped; a zero multiplier (an explicit zero
  of the pattern) is eliminated structurally, so the factors' pattern holds for every matrix
  of the same pattern and a numeric refactorization may reuse it;
* the factors are stored in CSR form (``L`` unit lower, ``U`` upper with reciprocal diagonal), so
  a triangular solve costs the number of non-zeros of the factors, not ``n^2``.

The work arrays (``A``, ``mark``) must be all zero on entry; :func:`sparse_lu_factor` restores that
on exit (it clears exactly the positions it touched), so no state leaks from one factorization to
the next.

Note: Numba's on-disk cache keys a compiled function on its own source file only. The integrator
in ``bdf.py`` inlines these functions; after editing this file, touch ``bdf.py`` (or clear
``__pycache__``) so that its cached machine code is rebuilt.

References
----------
* I. S. Duff, A. M. Erisman, J. K. Reid, *Direct Methods for Sparse Matrices*, 2nd ed., Oxford
  University Press (2017), ch. 5 and 10 (threshold pivoting, sparse Gaussian elimination).
* G. H. Golub, C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins (2013), §3.2-3.4.
"""

from __future__ import annotations

import numba
import numpy as np

from nppsim._jit import njit

#: Cast of a (non-negative) index to unsigned, so that Numba omits its wraparound of negative
#: indices in the hot loops (works the same without JIT).
_u = numba.uint64

#: Threshold pivoting parameter ``u``: the diagonal pivot is kept while ``|a_kk| >= u max|a_ik|``.
PIVOT_THRESHOLD = 0.1

#: The a-posteriori check of a numeric refactorization on old pivots: its multipliers may reach
#: ``1 / REFACTOR_THRESHOLD`` (scaled) before the matrix is factored again with pivoting. Looser
#: than the choice (Duff, Erisman & Reid 2017, §10.6: a refactorization keeps its pivots while
#: the growth stays moderate; KLU's refactorization keeps them unchecked): the factors serve
#: only the simplified Newton iteration, whose residual is evaluated exactly, so a less
#: accurate factorization costs at most an iteration, never accuracy.
REFACTOR_THRESHOLD = 0.01


@njit(nrt=True)
def dense_to_csr(a, ptr, idx, val):  # pragma: no cover - compiled
    """Compress a dense square matrix to CSR, always keeping the diagonal position.

    Parameters
    ----------
    a : float64[:, ::1] (n, n)
        Dense matrix.
    ptr : int64[::1] (n + 1,)
        Out: row pointers.
    idx : int64[::1] (>= nnz,)
        Out: column indices (increasing within a row).
    val : float64[::1] (>= nnz,)
        Out: values (non-finite values are kept, so that the caller can detect them).

    Returns
    -------
    int
        Number of stored entries (non-zeros plus structurally kept diagonal zeros).
    """
    n = a.shape[0]
    nnz = 0
    for i in range(n):
        ptr[i] = nnz
        for j in range(n):
            v = a[i, j]
            if v != 0.0 or i == j:
                idx[nnz] = j
                val[nnz] = v
                nnz += 1
    ptr[n] = nnz
    return nnz


@njit(nrt=True)
def markowitz_order(n, ptr, idx, order, cost):  # pragma: no cover - compiled
    """Static (a priori) Markowitz ordering of a CSR pattern for a symmetric permutation.

    Row and column ``i`` are taken in increasing order of :math:`(r_i - 1)(c_i - 1)`, with
    :math:`r_i` and :math:`c_i` the entries of row and column ``i`` (diagonal included), ties in
    index order (stable sort). A diagonal block whose rows reach only a few columns (decay-heat
    chains coupled to the power) is then eliminated first, without fill-in (Duff, Erisman & Reid
    2017, §7.2 and §10.2; Markowitz 1957).

    Parameters
    ----------
    n : int
        Order.
    ptr, idx : CSR pattern.
    order : int64[::1] (n,)
        Out: ``order[k]`` is the row and column eliminated at step ``k``.
    cost : int64[::1] (n,)
        Work array.
    """
    for i in range(n):
        cost[i] = 0
    for i in range(n):
        for q in range(ptr[i], ptr[i + 1]):
            cost[idx[q]] += 1  # column counts
    for i in range(n):
        r = ptr[i + 1] - ptr[i]
        cost[i] = max(r - 1, 0) * max(cost[i] - 1, 0)
    perm = np.argsort(cost, kind="mergesort")
    for k in range(n):
        order[k] = perm[k]


@njit(nrt=True)
def sparse_lu_factor(
    n,
    mptr,
    midx,
    mval,
    order,
    a,
    mark,
    rowcols,
    rowcnt,
    colrows,
    colcnt,
    pos2row,
    posof,
    pivoted,
    colstep,
    ucols,
    rscale,
    luptr,
    lusplit,
    luidx,
    luval,
    dinv,
):  # pragma: no cover - compiled
    """LU factorization ``P M Q = L U`` of a CSR matrix: threshold pivoting, sparsity skipping.

    Column ``order[k]`` is eliminated at step ``k``, with row ``order[k]`` as the preferred
    (diagonal) pivot, so ``Q`` is given and ``P`` follows from threshold pivoting.

    Parameters
    ----------
    n : int
        Order of ``M``.
    mptr, midx, mval : CSR arrays of ``M`` (duplicates are summed).
    order : int64[::1] (n,)
        Elimination order (a permutation), e.g. from :func:`markowitz_order` or ``arange(n)``.
    a : float64[:, ::1] (n, n)
        Work array, all zero on entry and on exit.
    mark : int64[:, ::1] (n, n)
        Work array (structure marks), all zero on entry and on exit.
    rowcols, colrows : int64[:, ::1] (n, n)
        Work arrays: column list of each row and row list of each column.
    rowcnt, colcnt, pos2row, posof, pivoted, colstep, ucols : int64[::1] (n,)
        Work arrays.
    rscale : float64[::1] (n,)
        Work array (reciprocal row maxima of ``M``).
    luptr : int64[::1] (n + 1,)
        Out: start of pivot row ``k`` of the factors in ``luidx``/``luval``.
    lusplit : int64[::1] (n,)
        Out: end of the ``L`` part and start of the ``U`` part of pivot row ``k``.
    luidx, luval : int64[::1], float64[::1] (>= n (n - 1),)
        Out: step indices (column positions in ``Q``) and values of ``L`` (strictly lower) and
        ``U`` (strictly upper).
    dinv : float64[::1] (n,)
        Out: reciprocals of the pivots (diagonal of ``U``).
    pos2row : int64[::1] (n,)
        Out as well: ``pos2row[k]`` is the row of ``M`` chosen as ``k``-th pivot row (``P``).

    Returns
    -------
    (int, int, int)
        ``info`` (0 on success, ``k + 1`` if step ``k`` finds no finite non-zero pivot: the
        matrix is singular or not finite), the number of stored off-diagonal factor entries, and
        ``reusable`` (1: the factors' pattern holds every fill-in of the pattern of ``M``).
    """
    for k in range(n):
        rowcnt[k] = 0
        colcnt[k] = 0
        pivoted[k] = 0
    for k in range(n):
        r = order[k]
        pos2row[k] = r
        posof[r] = k
        colstep[r] = k
    # Scatter M into the dense work array and build the structure lists.
    for i in range(n):
        for q in range(mptr[i], mptr[i + 1]):
            j = midx[q]
            if mark[i, j] == 0:
                mark[i, j] = 1
                rowcols[i, rowcnt[i]] = j
                rowcnt[i] += 1
                colrows[j, colcnt[j]] = i
                colcnt[j] += 1
            a[i, j] += mval[q]
    # Implicit row scaling for the pivot choice: rows in different units (Pa, K, 1) compare as
    # if each row of M were divided by its largest entry.
    for i in range(n):
        rmx = 0.0
        for q in range(rowcnt[i]):
            v = abs(a[i, rowcols[i, q]])
            if v > rmx:
                rmx = v
        rscale[i] = 1.0 / rmx if rmx > 0.0 and np.isfinite(rmx) else 0.0
    info = 0
    reusable = 1
    for k in range(n):
        jc = order[k]
        # Pivot search over the rows not yet pivoted that have an entry in column jc.
        amax = 0.0
        rmax = -1
        for q in range(colcnt[jc]):
            i = colrows[jc, q]
            if pivoted[i] != 0:
                continue
            v = abs(a[i, jc]) * rscale[i]
            if v > amax:
                amax = v
                rmax = i
        if rmax < 0 or not np.isfinite(amax):
            info = k + 1
            break
        d = pos2row[k]
        r = rmax
        if mark[d, jc] != 0 and abs(a[d, jc]) * rscale[d] >= PIVOT_THRESHOLD * amax:
            r = d  # keep the diagonal: no row exchange, the structure is preserved
        if r != d:
            qr = posof[r]
            pos2row[k] = r
            pos2row[qr] = d
            posof[r] = k
            posof[d] = qr
        pivoted[r] = 1
        piv = a[r, jc]
        nu = 0
        for q in range(rowcnt[r]):
            j = rowcols[r, q]
            if colstep[j] > k:
                ucols[nu] = j
                nu += 1
        ur = _u(r)
        for q in range(colcnt[jc]):
            i = colrows[jc, q]
            ui = _u(i)
            if pivoted[ui] != 0:
                continue
            # A zero multiplier (an explicit zero of M's pattern) is eliminated like any other:
            # it changes no value, but its fill-in enters the pattern, which then holds for
            # every M with this pattern (a refactorization may reuse it).
            lik = a[ui, jc] / piv
            a[ui, jc] = lik
            for u in range(nu):
                j = ucols[u]
                uj = _u(j)
                if mark[ui, uj] == 0:  # fill-in
                    mark[ui, uj] = 1
                    rowcols[ui, rowcnt[ui]] = j
                    rowcnt[ui] += 1
                    colrows[uj, colcnt[uj]] = i
                    colcnt[uj] += 1
                a[ui, uj] -= lik * a[ur, uj]
    nnz = 0
    if info == 0:
        # Gather the factors in CSR form, pivot row by pivot row, with every structural entry
        # (so that :func:`sparse_lu_refactor` can reuse the pattern); L in increasing step order.
        for k in range(n):
            r = pos2row[k]
            luptr[k] = nnz
            for q in range(rowcnt[r]):
                j = rowcols[r, q]
                st = colstep[j]
                if st < k:
                    # insertion into the sorted L part of this row
                    pos = nnz
                    while pos > luptr[k] and luidx[pos - 1] > st:
                        luidx[pos] = luidx[pos - 1]
                        luval[pos] = luval[pos - 1]
                        pos -= 1
                    luidx[pos] = st
                    luval[pos] = a[r, j]
                    nnz += 1
            lusplit[k] = nnz
            for q in range(rowcnt[r]):
                j = rowcols[r, q]
                st = colstep[j]
                if st > k:
                    luidx[nnz] = st
                    luval[nnz] = a[r, j]
                    nnz += 1
            dinv[k] = 1.0 / a[r, order[k]]
        luptr[n] = nnz
    # Restore the all-zero work arrays (only the touched positions).
    for i in range(n):
        for q in range(rowcnt[i]):
            j = rowcols[i, q]
            a[i, j] = 0.0
            mark[i, j] = 0
    return info, nnz, reusable


@njit(nrt=True)
def sparse_lu_refactor(
    n, mptr, midx, mval, order, rperm, luptr, lusplit, luidx, luval, dinv, w, colstep, rscale
):  # pragma: no cover - compiled
    """Numeric refactorization of a matrix with the pattern and pivot sequence of a previous one.

    Row by row (the "ikj" form of Gaussian elimination): row ``rperm[k]`` of ``M`` is scattered
    into ``w`` (indexed by elimination step), reduced by the ``U`` rows of the earlier steps in
    the order of its ``L`` entries, and gathered back (Duff, Erisman & Reid 2017, §10.4 and
    §10.6). It is valid while the new ``M`` has the pattern of the old one (``I - c J`` with the
    same ``J`` and another ``c``) and the old pivots still satisfy the threshold test, which is
    checked a posteriori on the multipliers: :math:`|l_{ik}| s_i u \\le s_k` (with the row scaling
    of :func:`sparse_lu_factor`). If that fails, the caller factors again with pivoting.

    Parameters
    ----------
    n, mptr, midx, mval, order : as for :func:`sparse_lu_factor`.
    rperm : int64[::1] (n,)
        Pivot rows of the previous factorization (``pos2row``).
    luptr, lusplit, luidx : the previous pattern (``L`` entries in increasing step order).
    luval, dinv : float64[::1]
        Out: the new factors.
    w, rscale : float64[::1] (n,)
        Work arrays (``w`` all zero on entry and on exit).
    colstep : int64[::1] (n,)
        Work array.

    Returns
    -------
    int
        0 on success, -1 if a multiplier breaks the threshold bound (factor again with
        pivoting), ``k + 1`` if pivot ``k`` is zero or not finite.
    """
    for k in range(n):
        colstep[order[k]] = k
    for i in range(n):
        rmx = 0.0
        for q in range(mptr[i], mptr[i + 1]):
            v = abs(mval[q])
            if v > rmx:
                rmx = v
        rscale[i] = 1.0 / rmx if rmx > 0.0 and np.isfinite(rmx) else 0.0
    info = 0
    for k in range(n):
        r = rperm[k]
        for q in range(mptr[r], mptr[r + 1]):
            w[_u(colstep[_u(midx[q])])] += mval[q]
        bound = REFACTOR_THRESHOLD * rscale[r]
        for q in range(luptr[k], lusplit[k]):
            j = _u(luidx[q])
            lkj = w[j] * dinv[j]
            w[j] = 0.0
            luval[q] = lkj
            if abs(lkj) * bound > rscale[_u(rperm[j])]:
                info = -1
            if lkj != 0.0:
                for qq in range(lusplit[j], luptr[j + 1]):
                    w[_u(luidx[qq])] -= lkj * luval[qq]
        piv = w[k]
        w[k] = 0.0
        for q in range(lusplit[k], luptr[k + 1]):
            j = _u(luidx[q])
            luval[q] = w[j]
            w[j] = 0.0
        if info == 0:
            if piv == 0.0 or not np.isfinite(piv):
                info = k + 1
            else:
                dinv[k] = 1.0 / piv
        if info != 0:
            break  # w is zero again: every position of row k was cleared above
    return info


@njit(nrt=True)
def sparse_lu_solve(
    n, luptr, lusplit, luidx, luval, dinv, rperm, order, b, x, z
):  # pragma: no cover - compiled
    """Solve ``M x = b`` with the factors of :func:`sparse_lu_factor`.

    Row-oriented forward substitution :math:`z_k = b_{p_k} - \\sum_{j<k} l_{kj} z_j`, back
    substitution :math:`z_k \\leftarrow (z_k - \\sum_{j>k} u_{kj} z_j) / u_{kk}`, then
    :math:`x_{q_k} = z_k`; cost: the non-zeros of the factors plus ``n``. ``rperm`` is the
    ``pos2row`` output of the factorization, ``order`` the elimination order; ``z`` is work
    space; ``x`` must be neither ``b`` nor ``z``.
    """
    # (indices cast to unsigned: Numba then drops its negative-index wraparound, 20 % faster)
    for k in range(n):
        s = b[rperm[k]]
        for q in range(luptr[k], lusplit[k]):
            s -= luval[q] * z[_u(luidx[q])]
        z[k] = s
    for k in range(n - 1, -1, -1):
        s = z[k]
        for q in range(lusplit[k], luptr[k + 1]):
            s -= luval[q] * z[_u(luidx[q])]
        z[k] = s * dinv[k]
    for k in range(n):
        x[order[k]] = z[k]


class SparseLU:
    """Python convenience wrapper of :func:`sparse_lu_factor` (tests, studies of structure).

    Parameters
    ----------
    m : array_like (n, n)
        Matrix to factor (dense; it is compressed to CSR first).
    ordering : {"markowitz", "natural"}
        Elimination order: static Markowitz (default) or the given order of rows and columns.
    pattern : array_like of bool (n, n), optional
        Positions stored even where ``m`` is zero (explicit zeros of the pattern, as the
        integrator keeps them): :meth:`refactor` then accepts matrices non-zero there.

    Attributes
    ----------
    info : int
        0 on success, ``k + 1`` if the matrix is singular at pivot step ``k`` (-1 after a
        refactorization whose old pivots failed the threshold test).
    reusable : bool
        The pattern holds every possible fill-in, so :meth:`refactor` may be used (always true
        since zero multipliers are eliminated structurally; kept for callers).
    nnz_factors : int
        Off-diagonal non-zeros of ``L`` and ``U``.
    order : ndarray
        Elimination order.
    """

    def __init__(
        self, m: np.ndarray, ordering: str = "markowitz", pattern: np.ndarray | None = None
    ) -> None:
        m = np.ascontiguousarray(m, dtype=np.float64)
        if m.ndim != 2 or m.shape[0] != m.shape[1]:
            raise ValueError("SparseLU needs a square matrix")
        n = m.shape[0]
        self.n = n
        mptr = np.zeros(n + 1, np.int64)
        midx = np.zeros(n * n, np.int64)
        mval = np.zeros(n * n)
        if pattern is None:
            dense_to_csr(m, mptr, midx, mval)
        else:
            # the non-zeros, the diagonal and the positions of ``pattern`` (explicit zeros)
            keep = (m != 0.0) | np.asarray(pattern, dtype=bool) | np.eye(n, dtype=bool)
            rows, cols = np.nonzero(keep)
            mptr[1:] = np.cumsum(np.bincount(rows, minlength=n))
            midx[: rows.size] = cols
            mval[: rows.size] = m[rows, cols]
        self.order = np.arange(n, dtype=np.int64)
        if ordering == "markowitz":
            markowitz_order(n, mptr, midx, self.order, np.zeros(n, np.int64))
        elif ordering != "natural":
            raise ValueError("ordering must be 'markowitz' or 'natural'")
        cap = max(n * n, 1)
        self._luptr = np.zeros(n + 1, np.int64)
        self._lusplit = np.zeros(n, np.int64)
        self._luidx = np.zeros(cap, np.int64)
        self._luval = np.zeros(cap)
        self._dinv = np.zeros(n)
        self._rperm = np.zeros(n, np.int64)

        def iv() -> np.ndarray:
            return np.zeros(n, np.int64)

        info, nnz, reusable = sparse_lu_factor(
            n, mptr, midx, mval, self.order, np.zeros((n, n)), np.zeros((n, n), np.int64),
            np.zeros((n, n), np.int64), iv(), np.zeros((n, n), np.int64), iv(), self._rperm,
            iv(), iv(), iv(), iv(), np.zeros(n), self._luptr, self._lusplit, self._luidx,
            self._luval, self._dinv,
        )  # fmt: skip
        self.info = int(info)
        self.nnz_factors = int(nnz)
        self.reusable = bool(reusable)
        self._mptr, self._midx = mptr, midx

    def refactor(self, m: np.ndarray) -> int:
        """Refactor a matrix with the same pattern in place (:func:`sparse_lu_refactor`).

        Returns its ``info`` (0 on success, -1 if the old pivots fail the threshold test); on
        failure the object is not usable until a new :class:`SparseLU` is made.
        """
        m = np.ascontiguousarray(m, dtype=np.float64)
        n = self.n
        mval = np.array([m[i, self._midx[q]] for i in range(n)
                         for q in range(self._mptr[i], self._mptr[i + 1])])  # fmt: skip
        info = sparse_lu_refactor(
            n, self._mptr, self._midx, mval, self.order, self._rperm, self._luptr,
            self._lusplit, self._luidx, self._luval, self._dinv, np.zeros(n),
            np.zeros(n, np.int64), np.zeros(n),
        )  # fmt: skip
        self.info = int(info)
        return self.info

    def solve(self, b: np.ndarray) -> np.ndarray:
        """Solution ``x`` of ``M x = b`` (``b`` of shape (n,))."""
        if self.info != 0:
            raise np.linalg.LinAlgError(f"factorization failed (info = {self.info})")
        b = np.ascontiguousarray(b, dtype=np.float64)
        x = np.empty(self.n)
        sparse_lu_solve(
            self.n, self._luptr, self._lusplit, self._luidx, self._luval, self._dinv,
            self._rperm, self.order, b, x, np.empty(self.n),
        )  # fmt: skip
        return x
