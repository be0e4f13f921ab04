"""Residents' files are what their bytes say, made safe before they are stored: pictures drawn
again (no hidden web page, no GPS), office files refused when they are zip bombs, and the
forms API's size limits answered with a 413 in plain English."""

import base64
import io
import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eforms import builders as b
from eforms import filecheck
from eforms.models import Submission, UploadedFile
from eforms.openapi import PATHS, SCHEMAS

from . import files
from .conftest import make_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload_form(unit):
    return make_form(
        unit,
        slug="attach",
        pages=[
            b.page(
                "attach",
                b.q(
                    "file_upload",
                    "attachment",
                    "Photo or document",
                    allowed_types=["jpg", "png", "heic", "pdf", "docx", "xlsx", "odt"],
                    max_size_mb=10,
                    max_files=3,
                ),
            ),
            b.page("contact", b.q("email", "email", "Email")),
        ],
    )


def post_api(client, slug, answers):
    return client.post(
        f"/api/v1/forms/{slug}/submissions/",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
    )


def api_file(name, content):
    return {"name": name, "content_base64": base64.b64encode(content).decode()}


def upload_page(client, form, name, content):
    client.post(f"/forms/{form.slug}/start/")
    return client.post(
        f"/forms/{form.slug}/page/attach/",
        {"attachment": SimpleUploadedFile(name, content, content_type="text/html")},
    )


def stored_bytes(upload):
    with upload.file.open("rb") as handle:
        return handle.read()


def test_png_named_html_is_stored_and_offered_as_png(client, upload_form):
    response = upload_page(client, upload_form, "photo.html", files.png())
    assert response.status_code == 302
    upload = UploadedFile.objects.get()
    assert upload.original_name == "photo.png" and upload.content_type == "image/png"
    assert upload.file.name.count(".") == 0  # stored under a random name, no extension at all
    assert upload.scan_status == UploadedFile.WAITING
    # The resident sees the name it will have on check your answers.
    page = client.get(f"/forms/{upload_form.slug}/page/attach/").content.decode()
    assert "photo.png" in page and "photo.html" not in page


def test_jpeg_html_polyglot_is_redrawn_without_the_web_page(client, upload_form):
    polyglot = files.jpeg_html_polyglot()
    assert files.HTML in polyglot
    response = post_api(
        client,
        upload_form.slug,
        {"attachment": [api_file("hole.jpg", polyglot)], "email": "a@resident.example"},
    )
    assert response.status_code == 201
    stored = stored_bytes(UploadedFile.objects.get())
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.startswith(b"\xff\xd8") and stored.rstrip(b"\0").endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(stored)).size == (4, 4)


def test_exif_and_gps_are_stripped_and_the_photo_kept_the_right_way_up(client, upload_form):
    photo = files.jpeg_with_gps(size=(8, 6))
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(files.GPS_IFD)
    post_api(
        client,
        upload_form.slug,
        {"attachment": [api_file("IMG_0042.JPEG", photo)], "email": "a@resident.example"},
    )
    upload = UploadedFile.objects.get()
    picture = Image.open(io.BytesIO(stored_bytes(upload)))
    assert dict(picture.getexif()) == {} and b"PhoneMaker" not in stored_bytes(upload)
    assert picture.size == (6, 8)  # the orientation was applied before it went
    assert upload.original_name == "IMG_0042.jpg" and upload.content_type == "image/jpeg"


def test_heic_photo_becomes_a_jpeg(client, upload_form):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (6, 4), (1, 2, 3)).save(out, format="HEIF")
    post_api(
        client,
        upload_form.slug,
        {"attachment": [api_file("IMG_7.HEIC", out.getvalue())], "email": "a@resident.example"},
    )
    upload = UploadedFile.objects.get()
    assert upload.original_name == "IMG_7.jpg" and upload.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(stored_bytes(upload))).format == "JPEG"


def test_a_picture_that_is_not_one_is_refused(client, upload_form):
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG's signature, nothing drawable
    response = upload_page(client, upload_form, "hole.png", fake)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file “hole.png” could not be accepted. It could not be opened as a picture" in page
    assert UploadedFile.objects.count() == 0


def test_html_is_refused_whatever_it_is_called(client, upload_form):
    response = upload_page(client, upload_form, "photo.png", files.HTML)
    assert "The selected file must be a JPG, PNG, HEIC, PDF, DOCX, XLSX, ODT" in (
        response.content.decode()
    )
    assert UploadedFile.objects.count() == 0


def test_zip_bomb_dressed_as_docx_is_refused_in_plain_english(client, upload_form):
    bomb = files.zip_bomb_docx(megabytes=200)
    assert len(bomb) < 1024 * 1024  # a few hundred kilobytes on the wire
    response = upload_page(client, upload_form, "report.docx", bomb)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file “report.docx” could not be accepted" in page
    assert "unpacks to far more than its size" in page
    assert "There is a problem" in page and "sp-error-summary" in page
    assert UploadedFile.objects.count() == 0


def test_small_bombs_are_caught_by_their_ratio_and_many_parts_by_their_count():
    """Under the 100 MB ceiling, but 5 MB from a few kilobytes: not a document."""
    small_bomb = files.zip_bomb_docx(megabytes=5)
    assert len(small_bomb) < 50 * 1024
    with pytest.raises(filecheck.Refused, match="unpacks to far more than its size"):
        filecheck.accept("report.docx", small_bomb, ["docx"])
    many = files.docx({f"word/part{n}.xml": "<x/>" for n in range(filecheck.MAX_MEMBERS)})
    with pytest.raises(filecheck.Refused, match="unpacks to far more than its size"):
        filecheck.accept("report.docx", many, ["docx"])


def test_documents_with_archives_inside_or_macros_are_refused():
    nested = files.docx({"word/embeddings/inner.zip": files.docx()})
    with pytest.raises(filecheck.Refused, match="other files packed inside it"):
        filecheck.accept("a.docx", nested, ["docx"])
    disguised = files.docx({"word/media/image2.png": files.docx()})  # a zip, named as a picture
    with pytest.raises(filecheck.Refused, match="other files packed inside it"):
        filecheck.accept("a.docx", disguised, ["docx"])
    macros = files.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 64})
    with pytest.raises(filecheck.Refused, match="macros"):
        filecheck.accept("a.docx", macros, ["docx"])


def test_an_ordinary_document_and_pdf_are_accepted_unchanged(client, upload_form):
    document, pdf = files.docx(), files.pdf()
    response = post_api(
        client,
        upload_form.slug,
        {
            "attachment": [api_file("letter.docx", document), api_file("scan", pdf)],
            "email": "a@resident.example",
        },
    )
    assert response.status_code == 201
    stored = {u.original_name: stored_bytes(u) for u in UploadedFile.objects.all()}
    assert stored == {"letter.docx": document, "scan.pdf": pdf}


def test_a_truncated_pdf_is_refused():
    with pytest.raises(filecheck.Refused, match="not a complete PDF"):
        filecheck.accept("scan.pdf", files.pdf()[:-10], ["pdf"])


def test_api_file_over_10_mb_is_a_413_in_plain_english(client, upload_form):
    big = b"\0" * (10 * 1024 * 1024 + 1)
    response = post_api(
        client,
        upload_form.slug,
        {"attachment": [api_file("big.pdf", big)], "email": "a@resident.example"},
    )
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == ("Each file may be 10 MB at most. Send a smaller file for: attachment.")
    assert body["limit_bytes"] == 10 * 1024 * 1024 and body["fields"] == ["attachment"]
    # As the OpenAPI document says.
    jsonschema.validate(body, SCHEMAS["TooLarge"])
    documented = PATHS["/api/v1/forms/{slug}/submissions/"]["post"]["responses"]["413"]
    assert "10 MB" in documented["description"] and "30 MB" in documented["description"]
    assert Submission.objects.count() == 0 and UploadedFile.objects.count() == 0


def test_api_file_of_exactly_10_mb_passes_the_size_limit(client, upload_form):
    # Not a picture or document, so refused for its type: but not for its size.
    exact = b"%PDF-" + b"\0" * (10 * 1024 * 1024 - 5)
    response = post_api(
        client,
        upload_form.slug,
        {"attachment": [api_file("scan.pdf", exact)], "email": "a@resident.example"},
    )
    assert response.status_code == 400
    assert "not a complete PDF" in response.json()["errors"]["attachment"]


def test_api_body_over_30_mb_is_a_413_before_it_is_read(client, upload_form):
    body = b'{"answers": {"email": "' + b"a" * (30 * 1024 * 1024) + b'"}}'
    response = client.post(
        f"/api/v1/forms/{upload_form.slug}/submissions/",
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith(
        "The request is too large: a submission may be 30 MB at most"
    )


def test_other_json_bodies_keep_the_usual_limit(client):
    response = client.post(
        "/api/v1/search/",
        data=b"{" + b" " * 3 * 1024 * 1024 + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["error"] == "The request is too large: send 2.5 MB at most."
