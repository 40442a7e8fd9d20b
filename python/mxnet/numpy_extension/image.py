"""``npx.image``: the image operators of ``nd.image`` (they return the array type they get)."""

from ..ndarray.image import *  # noqa: F401,F403
from ..ndarray.image import __all__  # noqa: F401
