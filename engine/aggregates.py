"""Aggregates and ranks across units: one value per unit → a figure of its scope.

``mean_over(rate)`` is the average over every unit, ``mean_over(rate,
'group')`` over the unit's own group (党支部), ``'parent'`` over the units
with the same parent (the villages of one township), ``'type'`` over the
units of the same type; ``sum_over``, ``count_over``, ``min_over`` and
``max_over`` likewise; ``rank(x, scope, order)`` is the unit's competition
rank in its scope (1, 2, 2, 4 — as everywhere in Kaohe) and ``rank_pct(x,
scope, order)`` that rank as a percentage of the units ranked (rank ÷ n ×
100: 前 10% is ``rank_pct(x) <= 10``).

Absent values (NaN: a blank cell a ``missing: skip`` input let through) take
no part: they add nothing to a sum or a mean, are not counted, and get no
rank (their rank is absent too). Ties are decided by the comparison rule of
every band and expression (:func:`engine.numbers.eq`).

Every function runs on whole columns: one sort (ranks) or one ``bincount``
(sums, counts) over all units and scopes at once, no loop per unit or per
group. Compiling an expression (engine.expressions) turns the scope literal
into the name of a column of scope labels (:func:`scope_name`) that the
evaluation's namespace holds (:func:`scope_columns`).

Order of evaluation: an aggregate is computed where it is written, over the
whole population, so aggregates of inputs and derived values are known
before any item (a derived value or an item may use them); an aggregate of
``total`` or of item scores belongs to vetoes, grades, rankings and actions.
Explain traces one unit; it is given the population's figures computed in
the full run (:data:`ACROSS`), never recomputed over that one unit.
"""

from __future__ import annotations

import dataclasses
import typing as t

import numpy as np
import numpy.typing as npt

from engine import numbers
from engine.messages import Text

#: A column of any dtype (numbers, booleans or text), one entry per unit.
Column = npt.NDArray[np.generic]
#: What an expression reads by name (engine.evaluate builds it): a column (a dimension's labels
#: are one row), a param's number, and under :data:`ACROSS` the run's cross-unit figures by call.
Namespace = dict[str, t.Union[Column, float, dict[str, Column]]]

#: Namespace key of the store of computed aggregates, by call (see ColumnEvaluator).
ACROSS = "__across__"

#: Scope literals an author may write, and the scope each means.
SCOPES: dict[str, str] = {
    "all": "all", "全体": "all",
    "group": "group", "分组": "group",
    "parent": "parent", "上级": "parent",
    "type": "type", "类型": "type",
}
#: Order literals of rank() and rank_pct().
ORDERS: dict[str, str] = {"desc": "desc", "从高到低": "desc", "asc": "asc", "从低到高": "asc"}

#: Each scope in words, for score sheets and explain.
SCOPE_WORDS: dict[str, Text] = {
    "all": Text("全体单位", "all units"),
    "group": Text("本组各单位", "the units of its group"),
    "parent": Text("同一上级各单位", "the units with the same parent"),
    "type": Text("同类型各单位", "the units of its type"),
}


def words(name: str, of: Text, scope: str = "all", order: str = "desc") -> Text:
    """A cross-unit call in words: "本组各单位的完成率平均值", "得票在全体单位中的名次"."""
    spec = SPECS[name]
    where = SCOPE_WORDS[SCOPES.get(scope, "all")]
    if name in ("rank", "rank_pct"):
        low = ORDERS.get(order) == "asc"
        zh, en = ("（从低到高）", " (lowest first)") if low else ("", "")
        return Text(f"{of.zh}在{where.zh}中的{spec.words.zh}{zh}", f"{spec.words.en} of {of.en} among {where.en}{en}")
    return Text(f"{where.zh}的{of.zh}{spec.words.zh}", f"{spec.words.en} of {of.en} over {where.en}")


@dataclasses.dataclass(frozen=True)
class Spec:
    """A cross-unit function: its name, arity and usage line."""

    name: str
    max_args: int
    usage: Text
    #: What it yields, in words after the value's title: "平均值", "名次".
    words: Text
    #: Whether a yes/no argument is allowed (count_over counts the units where it holds).
    takes_condition: bool = False


SPECS: dict[str, Spec] = {
    spec.name: spec
    for spec in (
        Spec("mean_over", 2, Text("mean_over(x, 范围): 各单位 x 的平均值；范围 'all'（默认，全体）/'group'（本组）/'parent'（同一上级）/'type'（同类型）",
                                  "mean_over(x, scope): average of x over the units of the scope: 'all' (default), 'group', 'parent' or 'type'"),
             Text("平均值", "average")),
        Spec("sum_over", 2, Text("sum_over(x, 范围): 各单位 x 之和", "sum_over(x, scope): total of x over the units of the scope"),
             Text("合计", "total")),
        Spec("count_over", 2, Text("count_over(x, 范围): 有值的单位数；x 为条件时是满足条件的单位数",
                                   "count_over(x, scope): units with a value; for a condition, units where it holds"),
             Text("单位数", "number of units"), takes_condition=True),
        Spec("min_over", 2, Text("min_over(x, 范围): 各单位 x 的最低值", "min_over(x, scope): lowest x of the scope"),
             Text("最低值", "lowest value")),
        Spec("max_over", 2, Text("max_over(x, 范围): 各单位 x 的最高值", "max_over(x, scope): highest x of the scope"),
             Text("最高值", "highest value")),
        Spec("rank", 3, Text("rank(x, 范围, 顺序): 名次（并列同名次，1、2、2、4）；顺序 'desc'（默认，高者第 1）/'asc'",
                             "rank(x, scope, order): competition rank (1, 2, 2, 4); order 'desc' (default, highest first) or 'asc'"),
             Text("名次", "rank")),
        Spec("rank_pct", 3, Text("rank_pct(x, 范围, 顺序): 名次 ÷ 参与排名的单位数 × 100；前 10% 即 rank_pct(x) <= 10",
                                 "rank_pct(x, scope, order): rank ÷ units ranked × 100; the top 10% is rank_pct(x) <= 10"),
             Text("名次百分比", "rank percentage")),
    )
}


def scope_name(scope: str) -> str:
    """Name under which a scope's labels are evaluated (not writable by authors)."""
    return f"__scope__{scope}"


def scope_columns(n: int, groups: Column, parents: Column, types: Column) -> dict[str, Column]:
    """The namespace entries the cross-unit functions read: each scope's label per unit."""
    return {
        scope_name("all"): np.zeros(n, dtype=np.int64),
        scope_name("group"): groups,
        scope_name("parent"): parents,
        scope_name("type"): types,
    }


#: The last few label columns factorised, with their codes: a run reads the same
#: parents or types column in every call (the column itself is kept, so ``is`` is safe).
_FACTORISED: list[tuple[Column, npt.NDArray[np.int64], int]] = []


def _codes(labels: Column) -> tuple[npt.NDArray[np.int64], int]:
    """Each unit's scope as a number 0 … g−1, and g."""
    for known, codes, count in _FACTORISED:
        if known is labels:
            return codes, count
    if labels.dtype.kind in "iu" and (labels.size == 0 or int(labels.min()) >= 0):
        codes = labels.astype(np.int64)
    else:
        _, inverse = np.unique(labels, return_inverse=True)
        codes = inverse.astype(np.int64).reshape(labels.shape)
    count = int(codes.max()) + 1 if codes.size else 0
    _FACTORISED[:] = [(labels, codes, count), *_FACTORISED[:3]]
    return codes, count


def _values(x: npt.ArrayLike, n: int) -> npt.NDArray[np.float64]:
    values = np.asarray(x, dtype=np.float64)
    return np.broadcast_to(values, (n,)) if values.ndim == 0 else values


def _per_scope(function: t.Callable[[npt.NDArray[np.float64], npt.NDArray[np.int64], int], Column]) -> t.Callable[..., Column]:
    """A cross-unit function called as ``f(x, scope_labels)`` by the evaluator."""

    def apply(x: npt.ArrayLike, labels: Column) -> Column:
        codes, count = _codes(np.asarray(labels))
        return function(_values(x, codes.shape[0]), codes, count)

    return apply


def _sums(x: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], g: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    present = ~np.isnan(x)
    total = np.bincount(codes, weights=np.where(present, x, 0.0), minlength=g)
    count = np.bincount(codes, weights=present.astype(np.float64), minlength=g)
    # Weighted counts are floats already (numpy's stubs type every bincount as integers): no copy is made.
    return total.astype(np.float64, copy=False), count.astype(np.float64, copy=False)


def _mean(x: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], g: int) -> Column:
    total, count = _sums(x, codes, g)
    with np.errstate(all="ignore"):
        mean = total / count  # a scope with no values: NaN, reported where it is used
    result: Column = mean[codes]
    return result


def _sum(x: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], g: int) -> Column:
    result: Column = _sums(x, codes, g)[0][codes]
    return result


def _count(x: npt.ArrayLike, labels: Column) -> Column:
    codes, g = _codes(np.asarray(labels))
    values = np.asarray(x)
    if values.dtype == np.bool_:
        hits = np.broadcast_to(values, codes.shape).astype(np.float64)
    else:
        hits = (~np.isnan(_values(values, codes.shape[0]))).astype(np.float64)
    result: Column = np.bincount(codes, weights=hits, minlength=g)[codes]
    return result


def _extreme(fill: float, reduce: np.ufunc) -> t.Callable[[npt.NDArray[np.float64], npt.NDArray[np.int64], int], Column]:
    def apply(x: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], g: int) -> Column:
        best = np.full(g, fill)
        reduce.at(best, codes, np.where(np.isnan(x), fill, x))
        best[best == fill] = np.nan  # a scope with no values
        result: Column = best[codes]
        return result

    return apply


def ranks(x: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], descending: bool = True) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Competition rank of each unit within its scope (NaN for an absent value), and the units ranked in its scope.

    >>> r, n = ranks(np.array([90.0, 95.0, 90.0, np.nan, 80.0]), np.zeros(5, dtype=np.int64))
    >>> r.tolist(), n.tolist()
    ([2.0, 1.0, 2.0, nan, 4.0], [4.0, 4.0, 4.0, 4.0, 4.0])
    """
    n = x.shape[0]
    rank = np.full(n, np.nan)
    members = np.flatnonzero(~np.isnan(x))
    g = int(codes.max()) + 1 if n else 0
    ranked = np.bincount(codes[members], minlength=g).astype(np.float64)
    if members.size:
        sign = -1.0 if descending else 1.0
        order = members[np.lexsort((sign * x[members], codes[members]))]
        value, group = x[order], codes[order]
        index = np.arange(order.size)
        group_start = np.r_[True, group[1:] != group[:-1]]
        same = np.r_[False, numbers.eq(value[1:], value[:-1])] & ~group_start
        first_in_group = np.maximum.accumulate(np.where(group_start, index, 0))
        first_in_run = np.maximum.accumulate(np.where(~same, index, 0))
        rank[order] = (first_in_run - first_in_group + 1).astype(np.float64)
    result: npt.NDArray[np.float64] = ranked[codes] if n else np.zeros(0)
    return rank, result


def _order(order: str) -> bool:
    return ORDERS.get(str(order), "desc") == "desc"


def _rank(x: npt.ArrayLike, labels: Column, order: str = "desc") -> Column:
    codes, _ = _codes(np.asarray(labels))
    return ranks(_values(x, codes.shape[0]), codes, _order(order))[0]


def _rank_pct(x: npt.ArrayLike, labels: Column, order: str = "desc") -> Column:
    codes, _ = _codes(np.asarray(labels))
    rank, ranked = ranks(_values(x, codes.shape[0]), codes, _order(order))
    with np.errstate(all="ignore"):
        result: Column = rank / ranked * 100.0
    return result


#: The numpy implementations, called as ``f(x, scope_labels[, order])``.
IMPLEMENTATIONS: dict[str, t.Callable[..., Column]] = {
    "mean_over": _per_scope(_mean),
    "sum_over": _per_scope(_sum),
    "count_over": _count,
    "min_over": _per_scope(_extreme(np.inf, np.minimum)),
    "max_over": _per_scope(_extreme(-np.inf, np.maximum)),
    "rank": _rank,
    "rank_pct": _rank_pct,
}


def across_of(names: Namespace) -> dict[str, Column]:
    """The store of computed aggregates in a namespace (always a mapping: input_namespace puts one there)."""
    store = names[ACROSS]
    if not isinstance(store, dict):
        raise TypeError(f"{ACROSS} holds {type(store).__name__}, not the aggregates by call")
    return store


def at(store: t.Mapping[str, Column], index: int) -> dict[str, Column]:
    """The computed aggregates of one unit (for the trace of that unit alone)."""
    return {key: column[index:index + 1] for key, column in store.items()}
