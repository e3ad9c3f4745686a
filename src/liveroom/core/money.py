"""Money as an integer number of fen (分). Never floats."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Money:
    fen: int

    def __post_init__(self) -> None:
        if not isinstance(self.fen, int) or isinstance(self.fen, bool):
            raise TypeError(f"Money needs an int number of fen, got {self.fen!r}")

    @classmethod
    def yuan(cls, text: str | int) -> Money:
        """Parse '19.90' or 19 (yuan) exactly, without floats."""
        whole, _, frac = str(text).strip().partition(".")
        if len(frac) > 2 or not (whole.lstrip("-").isdigit() and (frac.isdigit() or not frac)):
            raise ValueError(f"not an amount in yuan: {text!r}")
        sign = -1 if whole.startswith("-") else 1
        return cls(sign * (abs(int(whole)) * 100 + int(frac.ljust(2, "0") or 0)))

    def __add__(self, other: Money) -> Money:
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        return Money(self.fen - other.fen)

    def times(self, n: int) -> Money:
        return Money(self.fen * n)

    def share(self, numerator: int, denominator: int) -> Money:
        """This amount × numerator / denominator, rounded half up to the fen."""
        return Money((self.fen * numerator * 2 + denominator) // (2 * denominator))

    def __str__(self) -> str:
        sign = "-" if self.fen < 0 else ""
        return f"{sign}¥{abs(self.fen) // 100:,}.{abs(self.fen) % 100:02d}"


ZERO = Money(0)
# The largest amount any input may carry: ¥100 billion, far above a show's GMV, and exact
# both in a BIGINT column and in JavaScript numbers on the dashboard.
MAX_FEN = 10**13


def fmt_fen(fen: int) -> str:
    return str(Money(fen))
