"""Ids (or names) in a data table → unit numbers of the unit list; unknown ones reported.

The lookup is a hash join (:meth:`UnitMatcher.numbers`), exact because each
match is compared with the key. An id not listed is named with the listed id
it most likely means: 1 for 001 (Excel drops leading zeros), else the closest.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from engine.data.report import Report
from engine.data.units import UnitList
from engine.errors import Location
from engine.messages import closest

#: A lookup built once: the listed keys, their unit numbers, and the hashes no two keys share.
_Lookup = tuple[pl.Series, npt.NDArray[np.int64], pl.DataFrame]


class UnitMatcher:
    """Matches keys of data tables to the units listed."""

    def __init__(self, listed: UnitList, report: Report) -> None:
        self.index = listed.index
        self.unit_ids = listed.units.ids
        self.unit_names = listed.units.names
        self.report = report
        self._unpadded: dict[str, list[str]] | None = None
        self._names: tuple[dict[str, int], set[str]] | None = None
        self._lookups: dict[bool, _Lookup] = {}

    @property
    def name_index(self) -> dict[str, int]:
        """Each unit name → the first unit of that name; built when first asked (only sheets without ids need it)."""
        return self._by_name()[0]

    @property
    def ambiguous_names(self) -> set[str]:
        """Names that two or more units share (a sheet matched by name cannot tell them apart)."""
        return self._by_name()[1]

    def _by_name(self) -> tuple[dict[str, int], set[str]]:
        if self._names is None:
            names: dict[str, int] = {}
            ambiguous: set[str] = set()
            for position, name in enumerate(self.unit_names.tolist()):
                if name in names:
                    ambiguous.add(name)
                names.setdefault(name, position)
            self._names = (names, ambiguous)
        return self._names

    def unknown(self, location: Location, ident: str, by_name: bool = False) -> None:
        """An id not in the unit list, with the listed id it most likely means."""
        if ident.isdigit() and not by_name:
            # Excel turns 001 into the number 1; say so rather than "did you mean".
            if self._unpadded is None:
                unpadded: dict[str, list[str]] = {}
                for listed in self.index:
                    if listed.isdigit():
                        unpadded.setdefault(listed.lstrip("0"), []).append(listed)
                self._unpadded = unpadded
            padded = self._unpadded.get(ident.lstrip("0"), [])
            if len(padded) == 1:
                self.report.error("data_unknown_unit_zeros", location, id=ident, listed=padded[0])
                return
        if by_name:
            self.report.error("data_unknown_name", location, name=ident, suggest=closest(ident, list(self.name_index)))
            return
        self.report.error("data_unknown_unit", location, id=ident, suggest=closest(ident, self.index))

    def numbers(self, key: pl.Series, by_name: bool) -> npt.NDArray[np.int64]:
        """Ids (or names) → unit numbers, -1 where unknown.

        Each key's 64-bit hash is joined to the listed ids' hashes and the id
        found there is compared with the key, so a match is exact; keys that
        match nothing (unknown ids, or an id whose hash another id shares) are
        looked up one by one in the unit index. An integer join of a million
        keys takes a fraction of an Enum cast's time (which hashes the whole
        unit list again on every call, even for two keys).
        """
        if by_name not in self._lookups:
            if by_name:
                categories = pl.Series(list(self.name_index), dtype=pl.String)
                numbers = np.array(list(self.name_index.values()), dtype=np.int64)
            else:
                categories = pl.Series(self.unit_ids, dtype=pl.String)
                numbers = np.arange(len(self.unit_ids), dtype=np.int64)
            # Hashes two ids share are left out: their keys go the Enum's way.
            hashes = pl.DataFrame({"h": categories.hash(seed=0), "at": pl.int_range(len(categories), eager=True, dtype=pl.Int64)})
            hashes = hashes.filter(pl.col("h").is_unique())
            self._lookups[by_name] = (categories, numbers, hashes)
        categories, numbers, hashes = self._lookups[by_name]
        out = np.full(len(key), -1, dtype=np.int64)
        if not len(categories) or not len(key):
            return out
        joined = pl.DataFrame({"h": key.hash(seed=0)}).join(hashes, on="h", how="left", maintain_order="left").get_column("at")
        candidate = joined.fill_null(0).to_numpy()
        found = (joined.is_not_null() & (categories.gather(candidate) == key)).fill_null(False).to_numpy()
        out[found] = numbers[candidate[found]]
        if not found.all():
            index = self.name_index if by_name else self.index
            rest = np.flatnonzero(~found)
            out[rest] = [index.get(k, -1) for k in key.gather(rest).to_list()]
        return out
