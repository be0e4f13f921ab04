"""What a resident's file really is, made safe before it is stored.

The bytes decide, never the name or the browser's word: ``filetype`` reads the file's own
signature, and only the question's allowed types pass. Then:

* **Pictures** (JPEG, PNG, HEIC) are decoded and written again with Pillow. What is stored is
  only the picture: anything hidden after it or in its comments (a JPEG that is also a web
  page, a "polyglot") is gone, and so is its EXIF (a phone photo's GPS position, the camera's
  serial number); its orientation is applied first, so it still shows the right way up.
  HEIC photos become JPEGs, which every browser staff use can open.
* **Office files** (DOCX, XLSX, ODT) are zip archives, so each is unpacked, counting the bytes
  as they come, and refused when it unpacks to too much, far more than its size, has too many
  parts, carries another archive or macros: a "zip bomb" dressed as a document fills a disk or
  hangs whatever opens it.
* **PDFs** must be whole (``%PDF-`` at the start, ``%%EOF`` at the end).

The name kept is the resident's with the extension of what the file is: ``photo.html`` holding
PNG bytes is stored, and offered to staff, as ``photo.png``. Every file is then scanned for
viruses in the background before staff can open it (eforms/scanning.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

# HEIC photos (iPhones) open in Pillow through pillow-heif, which Wagtail's Willow brings.
register_heif_opener()

MIME_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
# What filetype calls a type, in the names the form's editor chooses from.
DETECTED = {"jpeg": "jpg", "apng": "png"}
PICTURES = {"jpg", "png", "heic"}
ARCHIVES = {"docx", "xlsx", "odt"}

# A photo from a phone is 12 to 50 megapixels; beyond this it is not a photo of a pothole.
MAX_PIXELS = 80_000_000
JPEG_QUALITY = 90
# Office files: what unpacking one may come to.
MAX_MEMBERS = 2000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # unpacked size over packed size, for files unpacking to more than a megabyte
RATIO_FLOOR_BYTES = 1024 * 1024
READ_CHUNK = 1024 * 1024
# The first bytes of archives and compressed streams, none of which belongs inside a document.
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
)
ARCHIVE_NAMES = re.compile(
    r"\.(zip|docx|docm|xlsx|xlsm|pptx|odt|ods|odp|jar|rar|7z|gz|tgz|bz2|xz|cab)$", re.I
)
MACRO_NAMES = re.compile(r"(^|/)vbaProject\.bin$|^Basic/|(^|/)macros?/", re.I)


class Refused(Exception):
    """A file that cannot be accepted; ``message`` says why, in plain English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Accepted:
    """A file fit to store: its name, bytes and type as they will be kept."""

    name: str
    content: bytes
    content_type: str


def detect(content: bytes) -> str | None:
    """The type the bytes say they are, as the editor's choices name it ("jpg"), or None."""
    kind = filetype.guess(content[:8192])
    if kind is None:
        return None
    extension = str(kind.extension)
    return DETECTED.get(extension, extension)


def accept(name: str, content: bytes, allowed: list[str]) -> Accepted:
    """The file as it will be stored, or Refused. ``allowed`` is the question's list of types."""
    extension = detect(content)
    if extension not in allowed:
        readable = ", ".join(t.upper() for t in allowed)
        raise Refused(_("The selected file must be a %(types)s") % {"types": readable})
    if extension in PICTURES:
        content, extension = reencode_picture(name, content, extension)
    elif extension in ARCHIVES:
        check_archive(name, content, extension)
    elif extension == "pdf":
        check_pdf(name, content)
    return Accepted(renamed(name, extension), content, MIME_TYPES[extension])


def renamed(name: str, extension: str) -> str:
    """The resident's name for the file with the extension of what it is."""
    stem = PurePath(name.replace("\\", "/")).stem
    stem = re.sub(r"[\x00-\x1f<>:\"/\\|?*]+", "", stem).strip(" .") or "upload"
    return f"{stem[:150]}.{extension}"


def _cannot_accept(name: str, why: str) -> Refused:
    return Refused(
        _("The file “%(name)s” could not be accepted. %(why)s") % {"name": name, "why": why}
    )


def reencode_picture(name: str, content: bytes, extension: str) -> tuple[bytes, str]:
    """The picture alone, written again: no trailing data, comments or EXIF."""
    try:
        with Image.open(io.BytesIO(content)) as original:
            if original.width * original.height > MAX_PIXELS:
                raise _cannot_accept(
                    name, _("The picture is too large. Send a smaller photo, under 80 megapixels.")
                )
            original.load()
            picture = ImageOps.exif_transpose(original)
            icc_profile = original.info.get("icc_profile")
            # Pillow writes some of what it read back out (a JPEG's comment): keep only what
            # drawing the picture needs.
            kept = {"transparency"} if extension == "png" else set()
            picture.info = {key: value for key, value in picture.info.items() if key in kept}
            output = io.BytesIO()
            if extension == "png":
                picture.save(output, format="PNG", icc_profile=icc_profile, exif=b"")
            else:
                if picture.mode not in ("RGB", "L", "CMYK"):
                    picture = picture.convert("RGB")
                picture.save(output, format="JPEG", quality=JPEG_QUALITY, icc_profile=icc_profile)
                extension = "jpg"
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _cannot_accept(
            name,
            _(
                "It could not be opened as a picture. Take the photo again, or send a different one."
            ),
        ) from None
    return output.getvalue(), extension


def check_archive(name: str, content: bytes, extension: str) -> None:
    """Refuse an office file that unpacks to too much, or holds archives or macros."""
    too_big = _(
        "It unpacks to far more than its size, which is how harmful files are disguised. "
        "Save it again from your word processor or spreadsheet, or send it as a PDF."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _cannot_accept(name, _("It is damaged and could not be opened.")) from None
    if len(members) > MAX_MEMBERS:
        raise _cannot_accept(name, too_big)
    names = {member.filename for member in members}
    if extension in ("docx", "xlsx") and "[Content_Types].xml" not in names:
        raise _cannot_accept(name, _("It is damaged and could not be opened."))
    if extension == "odt" and "mimetype" not in names:
        raise _cannot_accept(name, _("It is damaged and could not be opened."))
    declared = sum(member.file_size for member in members)
    if _over_limits(declared, len(content)):
        raise _cannot_accept(name, too_big)
    unpacked = 0
    try:
        for member in members:
            if member.flag_bits & 0x1:
                raise _cannot_accept(name, _("Part of it is protected by a password."))
            if MACRO_NAMES.search(member.filename):
                raise _cannot_accept(
                    name, _("It contains macros. Save it without macros, or send it as a PDF.")
                )
            if ARCHIVE_NAMES.search(member.filename):
                raise _cannot_accept(
                    name, _("It has other files packed inside it. Send it as a PDF.")
                )
            with archive.open(member) as stream:
                head = stream.read(8)
                if head.startswith(ARCHIVE_MAGIC):
                    raise _cannot_accept(
                        name, _("It has other files packed inside it. Send it as a PDF.")
                    )
                unpacked += len(head)
                # Counted as it unpacks: the sizes an archive declares can lie.
                while chunk := stream.read(READ_CHUNK):
                    unpacked += len(chunk)
                    if _over_limits(unpacked, len(content)):
                        raise _cannot_accept(name, too_big)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _cannot_accept(name, _("It is damaged and could not be opened.")) from None


def _over_limits(unpacked: int, packed: int) -> bool:
    return unpacked > MAX_UNPACKED_BYTES or (
        unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_RATIO * max(packed, 1)
    )


def check_pdf(name: str, content: bytes) -> None:
    """A whole PDF: it starts as one and ends as one."""
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise _cannot_accept(
            name, _("It is not a complete PDF. Save it again as a PDF and send that.")
        )
