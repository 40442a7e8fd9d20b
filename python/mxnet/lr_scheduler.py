"""``mx.lr_scheduler``: learning-rate schedules as functions of the update
count, with MXNet 1.9.1's classes, formulas and attributes.

A scheduler is called with ``num_update`` (the optimizer's update count) and
returns the learning rate. Every schedule may start with ``warmup_steps``
updates whose rate rises linearly from ``warmup_begin_lr`` to ``base_lr``
(``warmup_mode='linear'``) or stays at ``warmup_begin_lr`` ('constant').

As in MXNet, the schedulers keep state: FactorScheduler and
MultiFactorScheduler lower ``base_lr`` as they see larger counts (they are
meant to be called with non-decreasing counts), and PolyScheduler and
CosineScheduler compute from ``base_lr_orig``, so assigning ``base_lr`` after
construction (as an optimizer's ``learning_rate=`` does) does not change them.
Invalid arguments raise ValueError, or AssertionError where MXNet asserts
(non-integer ``warmup_steps`` or ``max_update``, a ``step`` list that is not
a non-empty list)."""

import logging
import math

__all__ = ["LRScheduler", "FactorScheduler", "MultiFactorScheduler", "PolyScheduler", "CosineScheduler"]


def _require(condition, message):
    if not condition:
        raise AssertionError(message)


class LRScheduler:
    """Base class: holds ``base_lr`` and the warm-up. Subclasses implement
    ``__call__(num_update)``."""

    def __init__(self, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        _require(isinstance(warmup_steps, int), f"warmup_steps must be an int, got {warmup_steps!r}")
        self.base_lr = base_lr
        self.warmup_steps = warmup_steps
        self.warmup_final_lr = base_lr
        self.warmup_begin_lr = warmup_begin_lr
        if warmup_begin_lr > base_lr:
            raise ValueError("Base lr has to be higher than warmup_begin_lr")
        if warmup_steps < 0:
            raise ValueError("Warmup steps has to be positive or 0")
        if warmup_mode not in ("linear", "constant"):
            raise ValueError("Supports only linear and constant modes of warmup")
        self.warmup_mode = warmup_mode

    def get_warmup_lr(self, num_update):
        """The rate at update ``num_update`` of the warm-up (< warmup_steps)."""
        _require(num_update < self.warmup_steps, f"update {num_update} is past the {self.warmup_steps} warm-up steps")
        if self.warmup_mode == "constant":
            return self.warmup_begin_lr
        rise = (self.warmup_final_lr - self.warmup_begin_lr) * float(num_update) / float(self.warmup_steps)
        return self.warmup_begin_lr + rise

    def __call__(self, num_update):
        raise NotImplementedError("must override this")


class FactorScheduler(LRScheduler):
    """base_lr * factor^floor((num_update - 1) / step) (for num_update past the
    warm-up), never below ``stop_factor_lr``."""

    def __init__(self, step, factor=1, stop_factor_lr=1e-8, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):  # fmt: skip
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if step < 1:
            raise ValueError("Schedule step must be greater or equal than 1 round")
        if factor > 1.0:
            raise ValueError("Factor must be no more than 1 to make lr reduce")
        self.step = step
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        # Each whole step passed since the last call lowers the rate once.
        while num_update > self.count + self.step:
            self.count += self.step
            self.base_lr *= self.factor
            if self.base_lr < self.stop_factor_lr:
                self.base_lr = self.stop_factor_lr
                logging.info("Update[%d]: learning rate reached %0.5e and stays there", num_update, self.base_lr)
            else:
                logging.info("Update[%d]: learning rate changed to %0.5e", num_update, self.base_lr)
        return self.base_lr


class MultiFactorScheduler(LRScheduler):
    """base_lr times ``factor`` once for every entry of the increasing list
    ``step`` that num_update has passed."""

    def __init__(self, step, factor=1, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        _require(isinstance(step, list) and len(step) >= 1, f"step must be a non-empty list, got {step!r}")
        for i, s in enumerate(step):
            if i > 0 and s <= step[i - 1]:
                raise ValueError("Schedule step must be an increasing integer list")
            if s < 1:
                raise ValueError("Schedule step must be greater or equal than 1 round")
        if factor > 1.0:
            raise ValueError("Factor must be no more than 1 to make lr reduce")
        self.step = step
        self.cur_step_ind = 0
        self.factor = factor
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while self.cur_step_ind < len(self.step) and num_update > self.step[self.cur_step_ind]:
            self.count = self.step[self.cur_step_ind]
            self.cur_step_ind += 1
            self.base_lr *= self.factor
            logging.info("Update[%d]: learning rate changed to %0.5e", num_update, self.base_lr)
        return self.base_lr


class _AnnealingScheduler(LRScheduler):
    """From base_lr to final_lr over the updates after warm-up up to
    ``max_update`` (then constant), by the fraction ``_remaining`` gives."""

    def __init__(self, max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr, warmup_mode):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        _require(isinstance(max_update, int), f"max_update must be an int, got {max_update!r}")
        if max_update < 1:
            raise ValueError("maximum number of updates must be strictly positive")
        self.base_lr_orig = self.base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = max_update - warmup_steps

    def _remaining(self, done):
        """The share of (base_lr - final_lr) left after ``done`` post-warm-up updates."""
        raise NotImplementedError

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            remaining = self._remaining(num_update - self.warmup_steps)
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * remaining
        return self.base_lr


class PolyScheduler(_AnnealingScheduler):
    """final_lr + (base_lr - final_lr) (1 - (n - warmup_steps) / (max_update - warmup_steps))^pwr
    up to ``max_update``, then constant."""

    def __init__(self, max_update, base_lr=0.01, pwr=2, final_lr=0, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):  # fmt: skip
        super().__init__(max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        self.power = pwr

    def _remaining(self, done):
        return pow(1 - float(done) / float(self.max_steps), self.power)


class CosineScheduler(_AnnealingScheduler):
    """final_lr + (base_lr - final_lr) (1 + cos(pi (n - warmup_steps) / (max_update - warmup_steps))) / 2
    up to ``max_update``, then constant."""

    def __init__(self, max_update, base_lr=0.01, final_lr=0, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):  # fmt: skip
        super().__init__(max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr, warmup_mode)

    def _remaining(self, done):
        return (1 + math.cos(math.pi * done / self.max_steps)) / 2
