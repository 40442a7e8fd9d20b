"""``mxnet.registry``: name -> class tables for serializable objects (initializers,
later optimizers), with MXNet 1.9.1's register / alias / create functions.

Names are kept lower-case, so ``create('Xavier')`` and ``create('xavier')`` are the
same class. ``create`` also takes an instance (returned as is), a dict of keyword
arguments holding the name under the nickname key, or the JSON text ``dumps()``
writes (``'["name", {kwargs}]'`` or ``'{"nickname": "name", ...}'``).
"""

import json
import warnings

__all__ = ["get_registry", "get_register_func", "get_alias_func", "get_create_func"]

_TABLES = {}  # base class -> {lower-case name: class}


def _table(base_class):
    return _TABLES.setdefault(base_class, {})


def get_registry(base_class):
    """A copy of the name -> class table of ``base_class``."""
    return dict(_table(base_class))


def get_register_func(base_class, nickname):
    """A function ``register(klass, name=None)`` that files ``klass`` (a subclass of
    ``base_class``) under ``name`` (default: its class name), lower-cased."""
    table = _table(base_class)

    def register(klass, name=None):
        assert isinstance(klass, type) and issubclass(klass, base_class), (
            f"Can only register subclass of {base_class.__name__}"
        )
        key = (klass.__name__ if name is None else name).lower()
        old = table.get(key)
        if old is not None and old is not klass:
            warnings.warn(
                f"New {nickname} {klass.__module__}.{klass.__name__} registered with name {key} "
                f"is overriding existing {nickname} {old.__module__}.{old.__name__}",
                UserWarning,
                stacklevel=2,
            )
        table[key] = klass
        return klass

    register.__doc__ = f"Registers a {nickname} class under its (lower-case) name."
    return register


def get_alias_func(base_class, nickname):
    """A decorator factory ``alias(*names)`` filing a class under extra names."""
    register = get_register_func(base_class, nickname)

    def alias(*aliases):
        def decorate(klass):
            for name in aliases:
                register(klass, name)
            return klass

        return decorate

    alias.__doc__ = f"Decorator filing a {nickname} class under the given extra names."
    return alias


def get_create_func(base_class, nickname):
    """A function ``create(name_or_instance, *args, **kwargs)`` building a registered class."""
    table = _table(base_class)

    def create(*args, **kwargs):
        if args:
            spec, args = args[0], args[1:]
        else:
            spec = kwargs.pop(nickname)  # KeyError when absent, as MXNet
        if isinstance(spec, base_class):
            assert not args and not kwargs, f"{nickname} is already an instance. Additional arguments are invalid"
            return spec
        if isinstance(spec, dict):
            return create(**spec)
        assert isinstance(spec, str), f"{nickname} must be of string type"
        if spec.startswith("["):
            assert not args and not kwargs
            name, params = json.loads(spec)
            return create(name, **params)
        if spec.startswith("{"):
            assert not args and not kwargs
            return create(**json.loads(spec))
        key = spec.lower()
        assert key in table, f"{key} is not registered. Please register with {nickname}.register first"
        return table[key](*args, **kwargs)

    create.__doc__ = (
        f"Creates a {nickname} from a registered name (with constructor arguments), a dict, "
        f"its dumps() JSON text, or returns a {base_class.__name__} instance unchanged."
    )
    return create
