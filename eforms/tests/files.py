"""Real files for the upload tests, made here: pictures with Pillow, documents with zipfile."""

import io
import zipfile

from PIL import Image

from tests.harness.clamav_server import EICAR

# GPS IFD tag in EXIF, and a latitude written the way phones write it.
GPS_IFD = 0x8825


def png(size=(4, 3), colour=(200, 30, 30)):
    """A real PNG, as Pillow writes it (re-encoding it gives the same bytes)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps(size=(8, 6)):
    """A phone photo: a JPEG whose EXIF says where it was taken and which way up it is."""
    picture = Image.new("RGB", size, (10, 120, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° to show it
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 37.0, 1.5), 3: "W", 4: (1.0, 17.0, 40.0)})
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_html_polyglot():
    """A JPEG that is also a web page: HTML in a comment and after the picture's end."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 255)).save(out, format="JPEG", comment=HTML)
    return out.getvalue() + HTML


def docx(parts=None):
    """A minimal Word document (a zip with the parts Word needs)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb_docx(megabytes=200):
    """A "Word document" that unpacks to ``megabytes`` of zeros from a few hundred kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def pdf(body=b"Pothole on Mill Lane"):
    """A small, complete PDF."""
    return b"%PDF-1.4\n1 0 obj<<>>stream\n" + body + b"\nendstream endobj\ntrailer<<>>\n%%EOF\n"


def eicar_pdf():
    """A PDF carrying the EICAR test string: what a scanner must catch (and nothing else can)."""
    return pdf(EICAR)
