"""Exchange rates as people read them: "1 USD = 518.1 KZT (−0.19%)".

The site's ticker prints the inverse, the price of one som, tenge or manat in
dollars ("KZT/USD = 0.00193"), which nobody reads that way. Rounding follows how
each currency is quoted: tenge and sum are hundreds or thousands to the dollar
(whole units from 1,000 up, else one decimal); somoni, manat and som two decimals.
The change is the site's own figure for the currency, shown with its sign.
"""

from __future__ import annotations

import re

from bot.i18n import DEFAULT_LANGUAGE, format_number

# Decimal places per currency; a currency not listed gets two.
_DECIMALS = {"KZT": 1, "UZS": 1, "KGS": 2, "TJS": 2, "TMT": 2}
_WHOLE_FROM = 1000  # 12,500 sum to the dollar: decimals mean nothing there
_CHANGE = re.compile(r"^([+\-−]?)(\d+(?:[.,]\d+)?)%$")


def units_per_base(rate: float) -> float | None:
    """How many units of the currency one unit of the base buys; None for a zero rate."""
    return 1 / rate if rate > 0 else None


def format_amount(currency: str, amount: float, language: str = DEFAULT_LANGUAGE) -> str:
    decimals = 0 if amount >= _WHOLE_FROM else _DECIMALS.get(currency, 2)
    return format_number(amount, decimals, language)


def format_change(change: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The site's change with its sign: "−0.19%", "+0.09%", "0%" (no sign on no change).

    Russian writes the decimal comma: "−0,19%".
    """
    match = _CHANGE.match(change.strip())
    if match is None:
        return change.strip()
    sign, number = match.groups()
    if float(number.replace(",", ".")) == 0:
        return "0%"
    number = number.replace(".", ",") if language == "ru" else number.replace(",", ".")
    return ("−" if sign in ("-", "−") else "+") + number + "%"


def readable_rate(
    currency: str, base: str, rate: float, change: str, language: str = DEFAULT_LANGUAGE
) -> str | None:
    """The rate as "1 USD = 518.1 KZT (−0.19%)"; None when it cannot be inverted."""
    amount = units_per_base(rate)
    if amount is None:
        return None
    shown = format_amount(currency, amount, language)
    return f"1 {base} = {shown} {currency} ({format_change(change, language)})"
