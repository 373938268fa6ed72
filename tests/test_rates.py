"""Exchange rates as people read them, for every currency the ticker shows."""

from __future__ import annotations

import pytest

from bot.news.rates import format_change, readable_rate


@pytest.mark.parametrize(
    ("currency", "rate", "change", "shown"),
    [
        ("KZT", 0.00193, "-0%", "1 USD = 518.1 KZT (0%)"),
        ("KZT", 0.00200, "-0.19%", "1 USD = 500.0 KZT (−0.19%)"),
        ("UZS", 0.00008, "0%", "1 USD = 12,500 UZS (0%)"),
        ("KGS", 0.01144, "0.05%", "1 USD = 87.41 KGS (+0.05%)"),
        ("TJS", 0.10858, "0.09%", "1 USD = 9.21 TJS (+0.09%)"),
        ("TJS", 0.10553, "-0.19%", "1 USD = 9.48 TJS (−0.19%)"),
        ("TMT", 0.28571, "0%", "1 USD = 3.50 TMT (0%)"),
    ],
)
def test_every_currency_reads_as_units_per_dollar(
    currency: str, rate: float, change: str, shown: str
) -> None:
    assert readable_rate(currency, "USD", rate, change) == shown


def test_a_zero_rate_is_not_shown_and_odd_changes_pass_through() -> None:
    assert readable_rate("KZT", "USD", 0.0, "0%") is None
    assert format_change("n/a") == "n/a"
    assert format_change("−1.5%") == "−1.5%"
