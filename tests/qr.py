"""Reading QR codes back from images, as a phone camera would (zxing-cpp)."""

import io

import zxingcpp
from PIL import Image


def decode_qr(image_bytes: bytes) -> list[str]:
    """The texts of every QR code found in a PNG (or any image Pillow opens)."""
    image = Image.open(io.BytesIO(image_bytes)).convert("L")
    return [result.text for result in zxingcpp.read_barcodes(image)]
