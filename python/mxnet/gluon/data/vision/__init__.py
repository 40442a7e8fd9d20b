"""``gluon.data.vision``: image datasets (MNIST, FashionMNIST, CIFAR10/100, image folders) and
image transforms, as in MXNet 1.9.1."""

from . import datasets, transforms
from .datasets import CIFAR10, CIFAR100, MNIST, FashionMNIST, ImageFolderDataset
