"""What a line's printed figures determine: every figure of the payment, exact, and the checks.

A release prints some figures of each payment (:mod:`xl_reit.components`)
and not others. Three sums hold whatever it prints together::

    dividend           = total ordinary (1a) + total capital gain (2a) + return of capital (3)
    total ordinary     = ordinary + qualified
    total capital gain = capital gain + unrecaptured 1250

and every other figure sits inside its box (Section 199A dividends at most
1a, Section 897 capital gain at most 2a …). :func:`resolve` works out every
figure these determine and checks the rest:

* a sum whose every term is printed must add up, **within the printed
  digits**: a difference of at most half a unit in the last digit of the
  least precise figure compared is the issuer's rounding (0.5791675 +
  0.0521561 + 0.1313431 = 0.7626667 against a dividend printed 0.762667), and
  is reported; a larger one is a problem that names the figures and amounts.
  Nothing is ever pushed into a figure to make a sum come out;
* a sum with one term not printed gives that term (ordinary = 1a − 1b);
  printed terms that already make up the whole sum make the others 0;
* a figure printed inside another is at most that one, within the digits;
* a figure printed both in dollars and as a percentage must be both.

A release whose own parts disagree with its dividend beyond the printed
digits is refused, unless the table says by how much (``excess``: the
parts less the dividend, the issuer's own figures kept as printed). The
sum is then checked against the dividend plus that excess, exactly as any
other; the excess must be needed (the parts do not add up without it) and
every part printed (none is derived from a sum that does not hold); each
figure's fraction is still of the dividend paid. The line says so.

The arithmetic runs in percent of the dividend when every figure is printed
as a percentage (the 2004 release), else in dollars per share. Dollars are
then exact: printed, or a printed percentage of a printed dividend. A
fraction of the dividend is exact where printed as a percentage, else the
quotient of the dollars by the dividend to 34 significant digits. A figure
the printed ones do not determine is simply absent: a lookup says so, and
never guesses it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import cache
from typing import NamedTuple

from .components import COMPONENTS, SPLITS, TOP
from .model import HUNDRED, ZERO, Figure, Printed

__all__ = [
    "DIVIDEND",
    "Resolution",
    "half_unit",
    "printed_parts",
    "quotient",
    "resolve",
    "signed_dollars",
    "within",
]

#: The name the dividend goes by in the sums (it is no figure of its own).
DIVIDEND = "dividend"

_QUOTIENT = Context(prec=34)
_FIVE = Decimal(5)


def quotient(dollars: Decimal, dividend: Decimal) -> Decimal | None:
    """``dollars / dividend``: exact where it terminates, else to 34 significant digits."""
    if not dividend:
        return None
    if not dollars:
        return ZERO
    return _QUOTIENT.divide(dollars, dividend)


def half_unit(value: Decimal) -> Decimal:
    """Half a unit in the last printed digit: ``0.762667`` → ``0.0000005``.

    A nil printed as ``0`` or ``-`` is exact, with no rounding to allow.

    >>> half_unit(Decimal("0.762667")), half_unit(Decimal("2.40")), half_unit(Decimal("0"))
    (Decimal('5E-7'), Decimal('0.005'), Decimal('0'))
    """
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # figures are finite
    if not value and exponent >= 0:
        return ZERO
    return _FIVE.scaleb(exponent - 1)


def within(difference: Decimal, allowed: Decimal) -> bool:
    """Whether a difference is the printed digits' rounding: at most ``allowed``."""
    return abs(difference) <= allowed


def _expansions() -> tuple[tuple[str, ...], ...]:
    """The dividend as sums of figures: 1a or its two parts, 2a or its two, and 3."""
    choices = [(total, *([SPLITS[total]] if total in SPLITS else [])) for total in TOP]
    return tuple(
        tuple(
            name
            for choice in combination
            for name in ((choice,) if isinstance(choice, str) else choice)
        )
        for combination in itertools.product(*choices)
    )


#: Every sum that holds a line's figures together: (the total, each way to write its terms).
_SUMS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    *((total, (parts,)) for total, parts in SPLITS.items()),
    (DIVIDEND, _expansions()),
)


#: The same, one way of writing one sum at a time, in the order they are worked.
_WAYS = tuple((total, terms) for total, ways in _SUMS for terms in ways)


class _Known(NamedTuple):
    """A figure in the line's unit (dollars, or percent of the dividend), and its rounding.

    A named tuple, not a dataclass: a line makes a dozen, and a tuple is the cheapest
    immutable value to make.
    """

    value: Decimal
    allowed: Decimal
    derivation: str = ""


@dataclass
class Resolution:
    """What one line's printed figures determine: its figures, its rounding, its problems.

    ``problems`` are ``(column, message)`` pairs, the column being the
    figures concerned as the table file names them.
    """

    figures: dict[str, Figure] = field(default_factory=dict)
    rounding: list[str] = field(default_factory=list)
    problems: list[tuple[str | None, str]] = field(default_factory=list)


@cache  # a few names, asked for in every derivation a line makes
def _label(name: str) -> str:
    """How a message names a figure: "total ordinary", "Section 199A", "the dividend"."""
    if name == DIVIDEND:
        return "the dividend"
    label = COMPONENTS[name].label
    return label if label.startswith("Section") else label[0].lower() + label[1:]


@cache
def _added_up(terms: tuple[str, ...]) -> str:
    """How a total derived from its terms follows: "ordinary + qualified"."""
    return " + ".join(_label(term) for term in terms)


class _Line:
    """The arithmetic of one line, in one unit."""

    def __init__(
        self, printed: Mapping[str, Printed], dividend: Decimal | None, excess: Decimal | None
    ) -> None:
        self.printed = printed
        self.dividend = dividend
        self.excess = excess
        has_dollars = any(figure.dollars is not None for figure in printed.values())
        self.in_percent = dividend is None or not has_dollars
        self.known: dict[str, _Known] = {}
        self.result = Resolution()
        if self.in_percent:
            self.known[DIVIDEND] = _Known(HUNDRED, ZERO)
        else:
            assert dividend is not None
            self.known[DIVIDEND] = _Known(dividend + (excess or ZERO), half_unit(dividend))
        for name, figure in printed.items():
            known = self._in_unit(figure)
            if known is not None:
                self.known[name] = known

    def shown(self, value: Decimal) -> str:
        text = format(value, "f")
        return f"{text}%" if self.in_percent else f"${text}"

    def _in_unit(self, figure: Printed) -> _Known | None:
        if self.in_percent:
            if figure.percent is None:
                return None  # dollars without a dividend: no share of it to work with
            return _Known(figure.percent, half_unit(figure.percent))
        if figure.dollars is not None:
            return _Known(figure.dollars, half_unit(figure.dollars))
        assert self.dividend is not None and figure.percent is not None
        return _Known(
            self.dividend * figure.percent / HUNDRED,
            self.dividend * half_unit(figure.percent) / HUNDRED,
        )

    # ----------------------------------------------------------------- the sums

    def settle(self) -> None:
        """Work the sums until nothing more follows, stopping a sum at its first problem.

        A way of writing a sum is settled once its every figure is known and it was
        checked: a known figure never changes, so checking it again could find nothing new.
        A total derived from its every term is settled too: it adds up, being their sum.
        """
        broken: set[str] = set()
        waiting: Sequence[tuple[str, tuple[str, ...]]] = _WAYS
        changed = True
        while changed:
            changed = False
            unsettled = []
            for way in waiting:
                total, terms = way
                if total in broken:
                    continue
                outcome = self._sum(total, terms)
                if outcome == "problem":
                    broken.add(total)
                elif outcome != "settled":
                    changed |= bool(outcome)
                    if outcome != "derived":
                        unsettled.append(way)
            waiting = unsettled

    def _sum(self, total: str, terms: tuple[str, ...]) -> str:
        """One way of writing one sum: derive what it gives, or check it.

        The outcome: ``"derived"`` (the total, from its every term), ``"changed"`` (another
        figure derived), ``"settled"`` (every figure known, checked), ``"problem"``, or ``""``
        (nothing follows yet).
        """
        known = self.known
        # Each term looked up once: every line of every table loaded works its sums.
        present = [known[term] for term in terms if term in known]
        whole = known.get(total)
        if whole is None:
            if len(present) < len(terms):
                return ""
            known[total] = _Known(
                sum([term.value for term in present], ZERO),
                max([term.allowed for term in present]),
                _added_up(terms),
            )
            return "derived"
        added = sum([term.value for term in present], ZERO)
        allowed = max([whole.allowed, *[term.allowed for term in present]])
        difference = whole.value - added
        if len(present) == len(terms):
            # each figure in dollars is rounded on its own, so a sum may be off by the halves
            # of all of them (three parts and a dividend to four places: $0.0002); an issuer
            # makes its percentages add up to 100, so they are held to the one half
            if not self.in_percent:
                allowed = whole.allowed + sum([term.allowed for term in present], ZERO)
            return self._check(total, terms, added, difference, allowed)
        missing = [term for term in terms if term not in known]
        if within(difference, allowed):
            made_up = f"not printed: 0, as the printed figures make up {_label(total)}"
            for term in missing:
                known[term] = _Known(ZERO, allowed, made_up)
            return "changed"
        if difference < 0:
            self._problem(
                terms,
                f"{self._terms(terms)} add up to {self.shown(added)}, more than "
                f"{_label(total)} {self.shown(whole.value)}",
            )
            return "problem"
        if len(missing) > 1:
            return ""
        (term,) = missing
        others = [_label(t) for t in terms if t != term]
        known[term] = _Known(difference, allowed, f"{_label(total)} less {' and '.join(others)}")
        return "changed"

    def _terms(self, terms: Sequence[str]) -> str:
        return " + ".join(
            f"{_label(term)} {self.shown(self.known[term].value)}"
            for term in terms
            if term in self.known
        )

    def _check(
        self,
        total: str,
        terms: tuple[str, ...],
        added: Decimal,
        difference: Decimal,
        allowed: Decimal,
    ) -> str:
        """A sum whose every term is known: it adds up, within the printed digits, or not.

        Only a sum of printed figures is checked: a derived one was made to add up.
        """
        printed = total == DIVIDEND or total in self.printed
        if not printed or not all(term in self.printed for term in terms):
            return "settled"
        if within(difference, allowed):
            if difference:
                self.result.rounding.append(
                    f"issuer rounding: {' + '.join(_label(t) for t in terms)} = "
                    f"{self.shown(added)}, {_label(total)} is "
                    f"{self.shown(self.known[total].value)} (a difference of "
                    f"{self.shown(abs(difference))}, within the printed digits)"
                )
            return "settled"
        if total == DIVIDEND and self.in_percent:
            message = f"components add up to {added}%, not 100% (percentages of the payment)"
        else:
            message = (
                f"{self._terms(terms)} add up to {self.shown(added)}, not "
                f"{_label(total)} {self.shown(self.known[total].value)}: a difference of "
                f"{self.shown(abs(difference))}, more than the printed digits allow "
                f"({self.shown(allowed)})"
            )
        self._problem(terms, message)
        return "problem"

    def _problem(self, terms: Sequence[str], message: str) -> None:
        columns = ", ".join(term for term in terms if term in self.printed) or None
        self.result.problems.append((columns, message))

    # ----------------------------------------------------------------- the rest

    def check_inside(self) -> None:
        """Each figure printed inside another is at most that one."""
        for name, component in COMPONENTS.items():
            parent = component.parent
            if parent is None or name not in self.known or parent not in self.known:
                continue
            inner, outer = self.known[name], self.known[parent]
            if inner.value - outer.value > max(inner.allowed, outer.allowed):
                self.result.problems.append(
                    (
                        name,
                        f"{_label(name)} {self.shown(inner.value)} is more than "
                        f"{_label(parent)} {self.shown(outer.value)}, which includes it",
                    )
                )

    def check_units(self) -> None:
        """A figure printed both in dollars and as a percentage must be both, within the digits."""
        if self.dividend is None:
            return
        for name, figure in self.printed.items():
            if figure.dollars is None or figure.percent is None:
                continue
            dollars = self.dividend * figure.percent / HUNDRED
            allowed = max(
                half_unit(figure.dollars), self.dividend * half_unit(figure.percent) / 100
            )
            if not within(figure.dollars - dollars, allowed):
                self.result.problems.append(
                    (
                        name,
                        f"{_label(name)} is printed as ${figure.dollars} and as {figure.percent}% "
                        f"of the dividend ${self.dividend}, which is ${dollars}",
                    )
                )

    def note_excess(self) -> None:
        """Say that the parts are kept as printed beyond the dividend (checked beforehand)."""
        excess, dividend = self.excess, self.dividend
        if excess is None or dividend is None:
            return
        more = "more" if excess > 0 else "less"
        self.result.rounding.append(
            f"as printed: the parts add up to {self.shown(dividend + excess)}, "
            f"{self.shown(abs(excess))} {more} than the dividend {self.shown(dividend)}, beyond "
            "the printed digits: the release's own figures, kept as it prints them "
            "(parts_excess)"
        )

    def figures(self) -> dict[str, Figure]:
        """Every figure known, in dollars per share and as a fraction of the dividend."""
        figures: dict[str, Figure] = {}
        dividend = self.dividend
        for name in COMPONENTS:
            known = self.known.get(name)
            printed = self.printed.get(name)
            if known is None:
                if printed is not None:  # dollars with no dividend to take a share of
                    figures[name] = Figure(printed.dollars, None)
                continue
            if self.in_percent:
                dollars = None if dividend is None else dividend * known.value / HUNDRED
                if printed is not None and printed.dollars is not None:
                    dollars = printed.dollars
                fraction: Decimal | None = known.value / HUNDRED
            else:
                dollars = known.value
                only_percent = printed is not None and printed.dollars is None
                fraction = (
                    printed.percent / HUNDRED  # type: ignore[operator, union-attr]
                    if only_percent
                    else quotient(known.value, dividend)  # type: ignore[arg-type]
                )
            figures[name] = Figure(dollars, fraction, known.derivation)
        return figures


def resolve(
    printed: Mapping[str, Printed], dividend: Decimal | None, excess: Decimal | None = None
) -> Resolution:
    """Every figure ``printed`` determines for a line whose dividend is ``dividend``; the checks.

    ``dividend`` is the part of the payment the line's tax year reports, or
    ``None`` where the line prints none (an annual line may not). ``excess``
    is what the printed parts add up to beyond the dividend, where a table
    keeps a release's own disagreeing figures as printed (module docstring).
    The result is shared between lines that print the same figures with the
    same digits (a class's payments mostly do): do not change it.
    """
    key = (
        tuple((name, str(figure.dollars), str(figure.percent)) for name, figure in printed.items()),
        str(dividend),
        str(excess),
    )
    return _resolve(key, printed, dividend, excess)


def signed_dollars(value: Decimal) -> str:
    """Dollars with their sign before the "$": ``$0.0003``, ``-$0.0003``."""
    return f"-${-value}" if value < 0 else f"${value}"


def printed_parts(printed: Mapping[str, Printed]) -> Decimal | None:
    """What the printed parts of the dividend add up to, in dollars (1a + 2a + 3, or their
    parts), where every one is printed in dollars; else ``None``."""
    for way in _expansions():
        if all(term in printed and printed[term].dollars is not None for term in way):
            return sum([printed[term].dollars or ZERO for term in way], ZERO)
    return None


def _excess_problem(
    printed: Mapping[str, Printed], dividend: Decimal | None, excess: Decimal
) -> str | None:
    """Why a stated excess of the parts over the dividend cannot be the line's, if it cannot.

    It must be exactly what every printed part adds up to beyond the dividend, and needed:
    beyond the printed digits (a difference within them is the issuer's rounding).
    """
    shown = signed_dollars(excess)
    added = printed_parts(printed)
    if dividend is None or added is None:
        return (
            f"{shown} is given, but the line does not print the dividend and every part (1a, "
            "2a and 3, or their parts) in dollars: the excess can only be what printed parts "
            "add up to beyond the dividend"
        )
    if added - dividend != excess:
        return (
            f"{shown} is given, but the printed parts add up to ${added}, ${added - dividend} "
            f"beyond the dividend ${dividend}"
        )
    if not resolve(printed, dividend).problems:
        return (
            f"{shown} is given, but the printed parts add up to the dividend ${dividend} within "
            "the printed digits: leave it blank"
        )
    return None


def _resolve(
    key: object, printed: Mapping[str, Printed], dividend: Decimal | None, excess: Decimal | None
) -> Resolution:
    found = _resolved.get(key)
    if found is None and excess is not None:
        why = _excess_problem(printed, dividend, excess)
        if why is not None:
            plain = resolve(printed, dividend)
            return Resolution(plain.figures, [], [("parts_excess", why)])
    if found is None:
        line = _Line(printed, dividend, excess)
        line.settle()
        line.check_inside()
        line.check_units()
        line.note_excess()
        line.result.figures = line.figures()
        found = line.result
        if len(_resolved) >= _RESOLVED_LIMIT:
            _resolved.clear()
        _resolved[key] = found
    return found


#: Lines already worked out, by their figures as printed (digits included) and dividend.
_resolved: dict[object, Resolution] = {}
_RESOLVED_LIMIT = 10_000
