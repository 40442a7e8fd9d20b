"""Image transforms as Blocks (MXNet 1.9.1's ``gluon.data.vision.transforms``). They take
(H, W, C) images (and, where MXNet allows, (N, H, W, C) batches) as ``nd.NDArray`` or, in
NumPy mode, ``np.ndarray``, and return the same type."""

from .... import image
from ....ndarray import image as _ops
from ...block import Block, HybridBlock
from ...nn import HybridSequential, Sequential

__all__ = [
    "Compose",
    "Cast",
    "ToTensor",
    "Normalize",
    "Resize",
    "CenterCrop",
    "CropResize",
    "RandomResizedCrop",
    "RandomFlipLeftRight",
    "RandomFlipTopBottom",
    "RandomApply",
]


def _capturable(block):
    # Resizing and the random flips compute on the host (NumPy, a coin read back), which a
    # captured graph could not replay: they run as they are, never inside a hybridized chain.
    return isinstance(block, HybridBlock) and not getattr(block, "_host_computed", False)


class Compose(Sequential):
    """Applies ``transforms`` in order; runs of consecutive HybridBlocks are grouped into a
    hybridized HybridSequential, as MXNet does (except the transforms mxlite computes on the
    host: resizing and random flips)."""

    def __init__(self, transforms):
        super().__init__()
        run = []
        for t in list(transforms) + [None]:
            if _capturable(t):
                run.append(t)
                continue
            if len(run) == 1:
                self.add(run[0])
            elif len(run) > 1:
                chain = HybridSequential()
                for block in run:
                    chain.add(block)
                chain.hybridize()
                self.add(chain)
            run = []
            if t is not None:
                self.add(t)


class Cast(HybridBlock):
    """Casts the input to ``dtype`` (default float32)."""

    def __init__(self, dtype="float32"):
        super().__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        return x.astype(self._dtype)


class ToTensor(HybridBlock):
    """(H, W, C) / (N, H, W, C) images in [0, 255] -> float32 (C, H, W) / (N, C, H, W) in [0, 1]."""

    def hybrid_forward(self, F, x):
        return _ops.to_tensor(x)


class Normalize(HybridBlock):
    """Per-channel ``(x - mean) / std`` of a float (C, H, W) or (N, C, H, W) tensor."""

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean = mean
        self._std = std

    def hybrid_forward(self, F, x):
        return _ops.normalize(x, self._mean, self._std)


class Resize(HybridBlock):
    """Resizes images or batches to ``size``: (width, height), or an int for a square (the
    shorter edge with ``keep_ratio=True``). ``interpolation``: OpenCV's codes 0-4."""

    _host_computed = True

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._size = size
        self._keep = keep_ratio
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        return _ops.resize(x, self._size, self._keep, self._interpolation)


class CropResize(HybridBlock):
    """Crops the ``width`` x ``height`` region at (``x``, ``y``) and, if ``size`` is given, resizes
    it (``interpolation`` None means bilinear; MXNet 1.9.1 fails on None)."""

    _host_computed = True

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super().__init__()
        self._box = (x, y, width, height)
        self._size = size
        self._interpolation = 1 if interpolation is None else interpolation

    def hybrid_forward(self, F, x):
        out = _ops.crop(x, *self._box)
        if self._size:
            out = _ops.resize(out, self._size, False, self._interpolation)
        return out


class CenterCrop(Block):
    """The centred crop of ``size`` ((width, height) or an int), upsampled if the image is smaller."""

    def __init__(self, size, interpolation=1):
        super().__init__()
        if isinstance(size, int):
            size = (size, size)
        self._args = (size, interpolation)

    def forward(self, x):
        return image.center_crop(x, *self._args)[0]


class RandomResizedCrop(Block):
    """A crop of random area fraction in ``scale`` and aspect ratio in ``ratio``, resized to
    ``size`` ((width, height) or an int)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=1):
        super().__init__()
        if isinstance(size, int):
            size = (size, size)
        self._args = (size, scale, ratio, interpolation)

    def forward(self, x):
        return image.random_size_crop(x, *self._args)[0]


class RandomFlipLeftRight(HybridBlock):
    """Mirrors an (H, W, C) image horizontally with probability 0.5."""

    _host_computed = True

    def hybrid_forward(self, F, x):
        return _ops.random_flip_left_right(x)


class RandomFlipTopBottom(HybridBlock):
    """Mirrors an (H, W, C) image vertically with probability 0.5."""

    _host_computed = True

    def hybrid_forward(self, F, x):
        return _ops.random_flip_top_bottom(x)


class RandomApply(Sequential):
    """Applies ``transforms`` with probability ``p`` (Python's ``random``, as MXNet)."""

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, x):
        import random

        if self.p < random.random():
            return x
        return self.transforms(x)
