"""The city's clock: every booking date is a calendar day in Pangkalpinang (WIB)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def today_wib() -> date:
    """Today's date in Pangkalpinang."""
    return datetime.now(WIB).date()
