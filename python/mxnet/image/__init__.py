"""``mxnet.image`` (alias ``mx.img``): reading, decoding, resizing and cropping HWC images, as in
MXNet 1.9.1. Decoding uses Pillow (imported when first needed); resizing follows OpenCV's rules
(see ``_resize``)."""

from . import image
from .image import (
    center_crop,
    color_normalize,
    fixed_crop,
    imdecode,
    imread,
    imresize,
    random_crop,
    random_size_crop,
    resize_short,
    scale_down,
)
