"""Site photos (and the letterhead's emblem) made fit for the pages: upright, small enough,
with no metadata left.

A camera's photo is often 4000 px wide, lies on its side until its EXIF orientation is applied,
and carries the place and time it was taken: the page gets a JPEG of at most ``PAGE_SIZE`` px and
a thumbnail for lists and the map's popups, both decoded and written again, so that nothing of
the original file but its pixels reaches the public.
"""
from __future__ import annotations

import io
import secrets
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .uploads import JPEG, Upload, UploadError, refuse_too_many_pixels

PAGE_SIZE = 1600
THUMBNAIL_SIZE = 480
# The letters print the emblem about 2 cm wide: this is ample at print resolution.
EMBLEM_SIZE = 400
QUALITY = 85


def _decoded(upload: Upload) -> Image.Image:
    try:
        # Pillow's own bomb limit is a warning below twice its default; here any doubt refuses.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(upload.data))
            # Opening reads only the header: the declared size is refused before decoding.
            refuse_too_many_pixels(*image.size)
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise UploadError(_("The image declares too many pixels to be opened.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadError(_("The image could not be read: it is damaged or cut short.")) \
            from None
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "P"):
        # JPEG has no transparency: what was transparent becomes white, not black.
        upright = upright.convert("RGBA")
        background = Image.new("RGB", upright.size, "white")
        background.paste(upright, mask=upright.getchannel("A"))
        return background
    return upright.convert("RGB")


def _jpeg(image: Image.Image, size: int) -> Upload:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= or icc_profile= argument: the file written carries none of the original's.
    copy.save(out, "JPEG", quality=QUALITY, optimize=True)
    return Upload(f"{secrets.token_hex(16)}.jpg", JPEG, out.getvalue())


def site_photos(upload: Upload) -> tuple[Upload, Upload]:
    """The page's photo and its thumbnail from a checked image upload; raises UploadError."""
    image = _decoded(upload)
    return _jpeg(image, PAGE_SIZE), _jpeg(image, THUMBNAIL_SIZE)


def emblem(upload: Upload) -> Upload:
    """The letterhead's emblem from a checked image upload; raises UploadError."""
    return _jpeg(_decoded(upload), EMBLEM_SIZE)
