"""How each kind of question reads an answer, checks it and shows it back.

``from_post`` turns an HTML form post into the same plain JSON shape the API accepts, and
``clean`` checks that shape and returns the stored value. ``clean`` accepts its own output
unchanged, so answers kept in a draft are checked again, by the same rules, on submission.
Every message is what the resident reads, in plain English.
"""

import base64
import binascii
import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.geo import normalise_postcode

from . import filecheck
from .maps import area_configured, describe_pin, in_area
from .models import AddressPoint, new_token
from .schema import matches

# The parts of a date, named in the resident's language in "Date of birth must include a month".
DATE_PART_NAMES = {
    "day": gettext_lazy("day"),
    "month": gettext_lazy("month"),
    "year": gettext_lazy("year"),
}


# Every typed answer is limited, whatever the editor sets.
HARD_MAX_LENGTH = 5000


class AnswerError(Exception):
    """A resident-facing message about one answer."""

    def __init__(self, message, anchor_suffix=""):
        super().__init__(message)
        self.message = message
        self.anchor_suffix = anchor_suffix


def is_empty(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        if isinstance(value, dict):
            return all(is_empty(v) or v is False for v in value.values())
        return len(value) == 0
    return False


def missing_message(spec):
    if spec.error_message:
        return spec.error_message
    if spec.type in ("radios", "yes_no", "lookup", "checkboxes"):
        return _("Select an answer for “%(label)s”") % {"label": spec.label}
    if spec.type == "file_upload":
        return _("Select a file for “%(label)s”") % {"label": spec.label}
    return _("Enter an answer for “%(label)s”") % {"label": spec.label}


def text_value(value, limit):
    if not isinstance(value, str | int | float):
        raise AnswerError(_("Enter text only"))
    text = str(value).replace("\r\n", "\n").strip()
    limit = min(limit or HARD_MAX_LENGTH, HARD_MAX_LENGTH)
    if len(text) > limit:
        raise AnswerError(
            _("Answer must be %(limit)s characters or fewer") % {"limit": f"{limit:,}"}
        )
    return text


def normalise_phone(value):
    """A UK number in national format (digits only), or None."""
    digits = re.sub(r"[\s\-().]", "", str(value or ""))
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"0\d{9,10}", digits):
        return None
    return digits


class CleanContext:
    """What cleaning needs beyond the answer: files already uploaded and new ones to keep."""

    def __init__(self, uploads=None, today=None):
        self.uploads = dict(uploads or {})  # token -> answer dict of files already stored
        self.pending = []  # new files to store once the answers are accepted
        self.today = today or timezone.localdate()

    def add_new_file(self, spec, name, content, content_type):

        token = new_token()
        answer = {"file": token, "name": name, "size": len(content), "content_type": content_type}
        self.pending.append(
            {
                "token": token,
                "field_name": spec.name,
                "name": name,
                "content": content,
                "content_type": content_type,
                "size": len(content),
            }
        )
        self.uploads[token] = answer
        return answer


# ----- reading an HTML post ---------------------------------------------------------------


def from_post(spec, data, files, prefix=""):
    """The answer to one question from a POST, in the API's JSON shape."""
    key = prefix + spec.name
    kind = spec.type
    if kind == "checkboxes":
        return data.getlist(key)
    if kind == "date":
        return {part: data.get(f"{key}-{part}", "") for part in ("day", "month", "year")}
    if kind == "phone" and spec.config.get("offer_text_updates"):
        return {
            "number": data.get(key, ""),
            "text_updates": data.get(f"{key}-text_updates") == "yes",
        }
    if kind == "address":
        return {
            part: data.get(f"{key}-{part}", "")
            for part in ("postcode", "uprn", "line_1", "line_2", "town")
        }
    if kind == "location":
        return {
            part: data.get(f"{key}-{part}", "") for part in ("latitude", "longitude", "description")
        }
    if kind == "file_upload":
        kept = [{"file": token} for token in data.getlist(f"{key}-keep")]
        return kept + [upload for upload in files.getlist(key) if upload.name]
    if kind == "consent":
        return data.get(key) == "yes"
    if kind == "group":
        count = group_count(spec, data, prefix)
        return [
            {
                child.name: from_post(child, data, files, prefix=f"{key}-{index}-")
                for child in spec.children
            }
            for index in range(count)
        ]
    return data.get(key, "")


def group_count(spec, data, prefix=""):
    key = prefix + spec.name
    try:
        count = int(data.get(f"{key}-count", 1))
    except (TypeError, ValueError):
        count = 1
    return max(0, min(count, spec.config.get("max_items") or 20))


# ----- checking one answer ----------------------------------------------------------------


def clean(spec, value, ctx):
    """The stored value of one answer, or AnswerError. Empty and optional gives None."""
    if (
        spec.type != "group"
        and is_empty(value)
        or (spec.type == "consent" and value in (False, "no", ""))
    ):
        if spec.required:
            raise AnswerError(missing_message(spec), anchor_suffix=_anchor_suffix(spec))
        return None
    cleaner = CLEANERS[spec.type]
    return cleaner(spec, value, ctx)


def _anchor_suffix(spec):
    return {"date": "-day", "address": "-postcode", "location": "-description"}.get(spec.type, "")


def clean_text(spec, value, ctx):
    text = text_value(value, spec.config.get("max_length"))
    if spec.type == "short_text" and "\n" in text:
        text = " ".join(text.split())
    return text


def clean_email(spec, value, ctx):
    text = text_value(value, 254)
    try:
        validate_email(text)
    except ValidationError:
        raise AnswerError(
            _("Enter an email address in the correct format, like name@example.com")
        ) from None
    return text


def clean_phone(spec, value, ctx):
    wants_texts = False
    if isinstance(value, dict):
        wants_texts = bool(value.get("text_updates"))
        value = value.get("number", "")
        if is_empty(value):
            if spec.required:
                raise AnswerError(missing_message(spec))
            return None
    number = normalise_phone(text_value(value, 30))
    if number is None:
        raise AnswerError(_("Enter a UK phone number, like 020 7946 0123 or 07700 900 982"))
    if not spec.config.get("offer_text_updates"):
        return number
    if wants_texts and not number.startswith("07"):
        raise AnswerError(_("Enter a UK mobile number, like 07700 900 982, to get text messages"))
    return {"number": number, "text_updates": wants_texts}


def clean_number(spec, value, ctx):
    text = text_value(value, 30).replace(",", "") if not isinstance(value, int | float) else value
    try:
        number = float(text)
    except (TypeError, ValueError):
        raise AnswerError(_("%(label)s must be a number") % {"label": spec.label}) from None
    if math.isnan(number) or math.isinf(number):
        raise AnswerError(_("%(label)s must be a number") % {"label": spec.label})
    if spec.config.get("whole_number"):
        if number != int(number):
            raise AnswerError(_("%(label)s must be a whole number") % {"label": spec.label})
        number = int(number)
    low, high = spec.config.get("min_value"), spec.config.get("max_value")
    if low is not None and number < low:
        raise AnswerError(
            _("%(label)s must be %(min)s or more") % {"label": spec.label, "min": _plain(low)}
        )
    if high is not None and number > high:
        raise AnswerError(
            _("%(label)s must be %(max)s or less") % {"label": spec.label, "max": _plain(high)}
        )
    return number


def _plain(number):
    return int(number) if float(number).is_integer() else number


def clean_date(spec, value, ctx):
    if isinstance(value, str):
        try:
            date = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise AnswerError(
                _("%(label)s must be a real date") % {"label": spec.label}, "-day"
            ) from None
    elif isinstance(value, dict):
        parts = {part: str(value.get(part, "")).strip() for part in ("day", "month", "year")}
        missing = [part for part, text in parts.items() if not text]
        if missing:
            raise AnswerError(
                _("%(label)s must include a %(part)s")
                % {"label": spec.label, "part": DATE_PART_NAMES[missing[0]]},
                f"-{missing[0]}",
            )
        try:
            date = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except (TypeError, ValueError):
            raise AnswerError(
                _("%(label)s must be a real date") % {"label": spec.label}, "-day"
            ) from None
        if len(parts["year"]) != 4:
            raise AnswerError(_("Year must include 4 numbers"), "-year")
    else:
        raise AnswerError(_("%(label)s must be a real date") % {"label": spec.label}, "-day")
    today = ctx.today
    if date < today and not spec.config.get("allow_past", True):
        raise AnswerError(
            _("%(label)s must be today or in the future") % {"label": spec.label}, "-day"
        )
    if date > today and not spec.config.get("allow_future", True):
        raise AnswerError(
            _("%(label)s must be today or in the past") % {"label": spec.label}, "-day"
        )
    if date == today and not spec.config.get("allow_today", True):
        raise AnswerError(_("%(label)s must not be today") % {"label": spec.label}, "-day")
    return date.isoformat()


def clean_yes_no(spec, value, ctx):
    text = str(value).strip().lower()
    if value is True or text == "yes":
        return "yes"
    if value is False or text == "no":
        return "no"
    raise AnswerError(missing_message(spec))


def clean_choice(spec, value, ctx):
    allowed = {option["value"] for option in spec.options}
    if not isinstance(value, str) or value not in allowed:
        raise AnswerError(missing_message(spec))
    return value


def clean_checkboxes(spec, value, ctx):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(missing_message(spec))
    allowed = [option["value"] for option in spec.options]
    if any(v not in allowed for v in value):
        raise AnswerError(missing_message(spec))
    chosen = [v for v in allowed if v in value]
    if not chosen and spec.required:
        raise AnswerError(missing_message(spec))
    return chosen


def clean_address(spec, value, ctx):

    if not isinstance(value, dict):
        raise AnswerError(_("Enter the address"), "-postcode")
    postcode = normalise_postcode(value.get("postcode"))
    if not str(value.get("postcode") or "").strip():
        raise AnswerError(_("Enter a postcode"), "-postcode")
    if postcode is None:
        raise AnswerError(_("Postcode must be a real UK postcode, like NB1 1AA"), "-postcode")
    uprn = str(value.get("uprn") or "").strip()
    if uprn and uprn != "manual":
        point = AddressPoint.objects.filter(uprn=uprn, postcode=postcode).first()
        if point is None:
            raise AnswerError(_("Select an address from the list"), "-uprn")
        return {
            "uprn": point.uprn,
            "line_1": point.line_1,
            "line_2": "",
            "town": point.town,
            "postcode": point.postcode,
            "street": point.street,
        }
    line_1 = text_value(value.get("line_1") or "", 200)
    if not line_1:
        # With a list to choose from, what is missing is the choice, not the manual address
        # tucked away under "Enter the address manually".
        if (
            spec.config.get("use_address_lookup")
            and AddressPoint.objects.filter(postcode=postcode).exists()
        ):
            raise AnswerError(_("Select an address"), "-uprn")
        raise AnswerError(_("Enter address line 1, typically the building and street"), "-line_1")
    return {
        "uprn": "",
        "line_1": line_1,
        "line_2": text_value(value.get("line_2") or "", 200),
        "town": text_value(value.get("town") or "", 100),
        "postcode": postcode,
        "street": street_from_line(line_1),
    }


def street_from_line(line):
    """ "12a High Street" -> "HIGH STREET": used to spot the same problem reported twice."""
    words = re.sub(r"[^\w\s]", " ", line).split()
    while words and any(ch.isdigit() for ch in words[0]):
        words.pop(0)
    return " ".join(words).upper()


def clean_location(spec, value, ctx):
    if not isinstance(value, dict):
        raise AnswerError(missing_message(spec), "-description")
    description = text_value(value.get("description") or "", 500)
    lat_text, lng_text = (
        str(value.get("latitude") or "").strip(),
        str(value.get("longitude") or "").strip(),
    )
    latitude = longitude = None
    if lat_text or lng_text:
        try:
            latitude, longitude = round(float(lat_text), 6), round(float(lng_text), 6)
        except ValueError:
            raise AnswerError(
                _("The map pin must be in the UK, or describe where it is"), "-description"
            ) from None
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            raise AnswerError(
                _("The map pin must be in the UK, or describe where it is"), "-description"
            )
        # The council's area when it is configured (SIGNPOST_MAP_BOUNDS), else the UK.
        if not in_area(latitude, longitude):
            raise AnswerError(
                _("The map pin must be in our area. Move it, or describe where it is")
                if area_configured()
                else _("The map pin must be in the UK, or describe where it is"),
                "-description",
            )
    if latitude is None and not description:
        raise AnswerError(missing_message(spec), "-description")
    return {"latitude": latitude, "longitude": longitude, "description": description}


def check_file_content(spec, name, content):
    """The file as it will be stored: (name, bytes, content type), checked and made safe by
    eforms.filecheck. Its own bytes decide what it is, never its name."""
    limit = (spec.config.get("max_size_mb") or 10) * 1024 * 1024
    if len(content) > limit:
        raise AnswerError(
            _("The selected file must be smaller than %(size)sMB")
            % {"size": spec.config.get("max_size_mb") or 10}
        )
    if not content:
        raise AnswerError(_("The selected file is empty"))
    try:
        accepted = filecheck.accept(name, content, spec.config.get("allowed_types") or [])
    except filecheck.Refused as refused:
        raise AnswerError(refused.message) from None
    return accepted.name, accepted.content, accepted.content_type


def clean_files(spec, value, ctx):
    if not isinstance(value, list):
        value = [value]
    result = []
    for item in value:
        if isinstance(item, dict) and "file" in item and not item.get("content_base64"):
            stored = ctx.uploads.get(str(item["file"]))
            if stored is None:
                raise AnswerError(_("The selected file has expired. Select it again"))
            result.append(stored)
            continue
        if isinstance(item, dict):  # API: {"name": ..., "content_base64": ...}
            name = text_value(item.get("name") or "upload", 200)
            try:
                content = base64.b64decode(str(item.get("content_base64") or ""), validate=True)
            except (binascii.Error, ValueError):
                raise AnswerError(_("The selected file could not be read")) from None
        elif hasattr(item, "read"):  # an uploaded file from the HTML form
            name = text_value(getattr(item, "name", "upload")[-200:], 200)
            limit = (spec.config.get("max_size_mb") or 10) * 1024 * 1024
            if getattr(item, "size", 0) > limit:
                raise AnswerError(
                    _("The selected file must be smaller than %(size)sMB")
                    % {"size": spec.config.get("max_size_mb") or 10}
                )
            content = item.read()
        else:
            raise AnswerError(_("The selected file could not be read"))
        name, content, content_type = check_file_content(spec, name, content)
        result.append(ctx.add_new_file(spec, name, content, content_type))
    max_files = spec.config.get("max_files") or 1
    if len(result) > max_files:
        raise AnswerError(_("Select up to %(count)s files") % {"count": max_files})
    if not result and spec.required:
        raise AnswerError(missing_message(spec))
    return result or None


def clean_consent(spec, value, ctx):
    if value is True or str(value).lower() in ("yes", "true", "on"):
        return True
    raise AnswerError(missing_message(spec))


def clean_group(spec, value, ctx):
    if not isinstance(value, list):
        raise AnswerError(missing_message(spec))
    items = [item for item in value if isinstance(item, dict) and not is_empty(item)]
    low, high = spec.config.get("min_items") or 0, spec.config.get("max_items") or 20
    if len(items) < low:
        raise AnswerError(
            missing_message(spec) if low <= 1 else _("Add at least %(count)s") % {"count": low}
        )
    if len(items) > high:
        raise AnswerError(_("You can add up to %(count)s") % {"count": high})
    cleaned, errors = [], {}
    for index, item in enumerate(items):
        row = {}
        for child in spec.children:
            if not _visible(child, {**row}):
                continue
            try:
                row[child.name] = clean(child, item.get(child.name), ctx)
            except AnswerError as error:
                errors[f"{spec.name}-{index}-{child.name}{error.anchor_suffix}"] = error.message
        cleaned.append(row)
    if errors:
        raise GroupErrors(errors)
    return cleaned or None


def _visible(spec, answers):

    return (
        spec.show_if is None
        or spec.show_if["field"] not in answers
        or matches(spec.show_if, answers)
    )


class GroupErrors(AnswerError):
    """Errors inside a repeating group, keyed by the input each belongs to."""

    def __init__(self, errors):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


CLEANERS = {
    "short_text": clean_text,
    "long_text": clean_text,
    "email": clean_email,
    "phone": clean_phone,
    "number": clean_number,
    "date": clean_date,
    "yes_no": clean_yes_no,
    "radios": clean_choice,
    "lookup": clean_choice,
    "checkboxes": clean_checkboxes,
    "address": clean_address,
    "location": clean_location,
    "file_upload": clean_files,
    "consent": clean_consent,
    "group": clean_group,
}


# ----- showing an answer back -------------------------------------------------------------


def display(spec, value, staff=False):
    """Plain text for check-your-answers, emails and (``staff``) the inbox and export (escaped by
    templates)."""
    if value in (None, "", []):
        return _("Not answered")
    kind = spec.type
    if kind in ("radios", "lookup"):
        return spec.option_label(value)
    if kind == "checkboxes":
        return "\n".join(spec.option_label(v) for v in value)
    if kind == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    if kind == "date":
        return date_format(datetime.date.fromisoformat(value), "j F Y")
    if kind == "phone" and isinstance(value, dict):
        text = value["number"]
        return text + (
            "\n" + _("Send me text message updates") if value.get("text_updates") else ""
        )
    if kind == "address":
        return "\n".join(
            part
            for part in (value["line_1"], value.get("line_2"), value.get("town"), value["postcode"])
            if part
        )
    if kind == "location":
        parts = []
        if value.get("description"):
            parts.append(value["description"])
        if value.get("latitude") is not None:
            # Residents read the pin in words, never coordinates; staff (the inbox, the export)
            # get the coordinates, with no address lookup per row.
            parts.append(
                _("Map pin: %(lat)s, %(lng)s")
                % {"lat": value["latitude"], "lng": value["longitude"]}
                if staff
                else describe_pin(value["latitude"], value["longitude"])
            )
        return "\n".join(parts)
    if kind == "file_upload":
        return "\n".join(item["name"] for item in value)
    if kind == "consent":
        return _("Yes")
    if kind == "group":
        lines = []
        for index, row in enumerate(value, start=1):
            lines.append(f"{spec.config.get('item_label') or spec.label} {index}")
            for child in spec.children:
                if child.name in row:
                    lines.append(f"  {child.label}: {display(child, row[child.name], staff)}")
        return "\n".join(lines)
    return str(value)
