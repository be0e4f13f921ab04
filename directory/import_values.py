"""Reading one value of another publisher's Open Referral UK record, the way a data owner expects.

A value that would make a wrong record (an id that is not a UUID, a date that does not exist, a
name longer than Signpost keeps) rejects the whole record, with a reason the partner can act on.
A value that can be fixed or safely left out (a lower-case postcode, a latitude of 100, an
email address with no @, a ``javascript:`` link, markup in a description) is fixed or left out,
and a warning says which, so one bad value never loses a service.

Markup becomes text with Beautiful Soup (already used for every page test), because residents
must never see literal tags and Signpost shows descriptions as plain text.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal, InvalidOperation

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from core.geo import normalise_postcode

_SAFE_URL = URLValidator(schemes=["http", "https"])
_DAY_NAMES = {
    "MONDAY": "MO",
    "TUESDAY": "TU",
    "WEDNESDAY": "WE",
    "THURSDAY": "TH",
    "FRIDAY": "FR",
    "SATURDAY": "SA",
    "SUNDAY": "SU",
    "MON": "MO",
    "TUE": "TU",
    "TUES": "TU",
    "WED": "WE",
    "THU": "TH",
    "THUR": "TH",
    "THURS": "TH",
    "FRI": "FR",
    "SAT": "SA",
    "SUN": "SU",
}
_BYDAY = re.compile(r"([+-]?[1-5]?)(MO|TU|WE|TH|FR|SA|SU)")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


class RecordRejected(ValueError):
    """One record can't be imported; the message says why in terms a data owner understands."""


def html_to_text(value: str) -> str:
    """Plain text for markup a partner put in a description: paragraphs and list items become
    lines, everything else (tags, scripts, styles) goes. Text without tags is left alone."""
    if not _TAG.search(value):
        return value
    soup = BeautifulSoup(value, "html.parser")
    for element in soup(["script", "style"]):
        element.decompose()
    for element in soup.find_all(_BLOCKS):
        if element.name == "li":
            element.insert_before("\n- ")
        else:
            element.insert_before("\n")
        element.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    return "\n".join(line for line in lines if line)


class ValueReader:
    """Reads the values of one record, collecting a warning for every value fixed or left out."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    # --- text -------------------------------------------------------------------------------

    def text(
        self,
        data: dict,
        key: str,
        *,
        where: str = "",
        field: models.Field | None = None,
        required: bool = False,
        markup: bool = False,
    ) -> str:
        """A text value, stripped; rejected when longer than ``field`` keeps."""
        value = data.get(key)
        if value is None or value == "":
            if required:
                raise RecordRejected(f"{where}{key} is missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise RecordRejected(f"{where}{key} must be text")
        text = str(value)
        if "\x00" in text:
            text = text.replace("\x00", "")
            self.warn(f"{where}{key} had a NUL character, which was removed")
        if markup:
            text = html_to_text(text)
        text = text.strip()
        if required and not text:
            raise RecordRejected(f"{where}{key} is missing")
        limit = getattr(field, "max_length", None)
        if limit is not None and len(text) > limit:
            raise RecordRejected(
                f"{where}{key} is {len(text)} characters long; Signpost keeps at most {limit}"
            )
        return text

    def email(self, data: dict, key: str, *, where: str = "") -> str:
        text = self.text(data, key, where=where)
        if not text:
            return ""
        try:
            validate_email(text)
        except ValidationError:
            self.warn(
                f"{where}{key} \u201c{text}\u201d is not an email address, so it was left out"
            )
            return ""
        if len(text) > 254:
            self.warn(f"{where}{key} is too long to be an email address, so it was left out")
            return ""
        return text

    def url(self, data: dict, key: str, *, where: str = "") -> str:
        text = self.text(data, key, where=where)
        if not text:
            return ""
        try:
            _SAFE_URL(text)
        except ValidationError:
            self.warn(
                f"{where}{key} \u201c{text[:80]}\u201d is not a web address starting "
                "http:// or https://, so it was left out"
            )
            return ""
        if len(text) > 200:
            self.warn(f"{where}{key} is longer than 200 characters, so it was left out")
            return ""
        return text

    # --- identifiers, numbers, dates ----------------------------------------------------------

    def uuid(self, value: object, where: str) -> uuid.UUID:
        try:
            return uuid.UUID(str(value))
        except (TypeError, ValueError, AttributeError):
            raise RecordRejected(f"{where} \u201c{value}\u201d is not a UUID") from None

    def age(self, data: dict, key: str) -> int | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 150:
            raise RecordRejected(f"{key} \u201c{value}\u201d is not an age")
        return int(value)

    def date(self, data: dict, key: str, *, where: str = "") -> datetime.date | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        try:
            parsed = parse_date(str(value)[:10])
        except ValueError:
            parsed = None
        if parsed is None:
            raise RecordRejected(
                f"{where}{key} \u201c{value}\u201d is not a real date (use YYYY-MM-DD)"
            )
        return parsed

    def datetime(self, data: dict, key: str) -> datetime.datetime | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        try:
            parsed = parse_datetime(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            raise RecordRejected(f"{key} \u201c{value}\u201d is not a real date and time")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed

    def time(self, data: dict, key: str, *, where: str) -> datetime.time | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        try:
            parsed = parse_time(str(value)[:8])
        except ValueError:
            parsed = None
        if parsed is None:
            raise RecordRejected(f"{where}{key} \u201c{value}\u201d is not a time (use HH:MM)")
        return parsed

    def whole_number(self, data: dict, key: str, *, where: str, default: int) -> int:
        value = data.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            raise RecordRejected(f"{where}{key} \u201c{value}\u201d is not a whole number from 1")
        return value

    def extension(self, data: dict, *, where: str) -> int | None:
        """A phone extension: HSDS gives a number; "x201" or "ext. 201" is read as 201."""
        value = data.get("extension")
        if value is None or value == "":
            return None
        digits = "".join(char for char in str(value) if char.isdigit())
        if isinstance(value, bool) or not digits or len(digits) > 9:
            self.warn(f"{where}extension “{value}” is not a number, so it was left out")
            return None
        return int(digits)

    def amount(self, data: dict, *, where: str) -> Decimal | None:
        value = data.get("amount")
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise RecordRejected(f"{where}amount \u201c{value}\u201d is not a number")
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise RecordRejected(f"{where}amount \u201c{value}\u201d is not a number") from None
        if not amount.is_finite() or abs(amount) >= Decimal("1000000"):
            raise RecordRejected(f"{where}amount \u201c{value}\u201d is not a price")
        if amount < 0:
            self.warn(f"{where}amount {value} is less than nothing, so it was left out")
            return None
        return amount

    def coordinates(self, data: dict, *, where: str) -> tuple[float | None, float | None]:
        """Latitude and longitude, both or neither; impossible ones are left out with a warning,
        so the location is placed by its postcode instead."""
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude in (None, "") and longitude in (None, ""):
            return None, None
        try:
            lat, lon = float(latitude), float(longitude)
        except (TypeError, ValueError):
            lat = lon = float("nan")
        if isinstance(latitude, bool) or isinstance(longitude, bool):
            lat = lon = float("nan")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.warn(
                f"{where}latitude {latitude}, longitude {longitude} is not a place on Earth, "
                "so the location is placed by its postcode instead"
            )
            return None, None
        return lat, lon

    def postcode(self, data: dict, key: str, *, where: str, country: str) -> str:
        text = self.text(data, key, where=where)
        if not text:
            return ""
        if country in ("", "GB", "UK"):
            normalised = normalise_postcode(text)
            if normalised is None:
                self.warn(
                    f"{where}{key} \u201c{text}\u201d is not a UK postcode, so it was left out"
                )
                return ""
            if normalised != text:
                self.warn(f"{where}{key} \u201c{text}\u201d was written as {normalised}")
            return normalised
        if len(text) > 10:
            self.warn(
                f"{where}{key} \u201c{text}\u201d is too long for a postcode, so it was left out"
            )
            return ""
        return text

    # --- schedule rules -----------------------------------------------------------------------

    def byday(self, data: dict, *, where: str) -> str:
        text = self.text(data, "byday", where=where)
        if not text:
            return ""
        codes = []
        renamed = False
        for part in (item.strip().upper() for item in text.split(",")):
            if not part:
                continue
            if part in _DAY_NAMES:
                codes.append(_DAY_NAMES[part])
                renamed = True
            elif _BYDAY.fullmatch(part):
                codes.append(part)
            else:
                raise RecordRejected(
                    f"{where}byday \u201c{text}\u201d is not a list of days like MO,TU,WE"
                )
        result = ",".join(codes)
        if renamed:
            self.warn(f"{where}byday \u201c{text}\u201d was written as {result}")
        if len(result) > 40:
            raise RecordRejected(f"{where}byday \u201c{text}\u201d names too many days")
        return result

    def bymonthday(self, data: dict, *, where: str) -> str:
        value = data.get("bymonthday")
        if value is None or value == "":
            return ""
        parts = [part.strip() for part in str(value).split(",") if part.strip()]
        for part in parts:
            try:
                number = int(part)
            except ValueError:
                number = 0
            if number == 0 or not -31 <= number <= 31:
                raise RecordRejected(
                    f"{where}bymonthday \u201c{value}\u201d is not a list of days of the month like 1,15"
                )
        result = ",".join(parts)
        if len(result) > 40:
            raise RecordRejected(f"{where}bymonthday \u201c{value}\u201d names too many days")
        return result
