"""Copying a :class:`~nnviz.engine.learning.fast.FastTrainer`'s flat vectors to and from the
network and the optimiser state (the reference's per-array slots: W0, b0, W1, b1, ...,
then gamma0, beta0, gamma1, ... of the normalised layers)."""

from __future__ import annotations

from nnviz.engine.learning import fast_norm as fn


def load(tr) -> None:
    """Copy the network, its batch norm and the optimiser's state into the trainer."""
    net = tr.net
    if net.sizes != tr.sizes or [a.name for a in net.activations] != tr.kinds:
        raise ValueError("the network changed shape; make a new FastTrainer")
    for l, p in enumerate(tr.Ps):
        p[:, :-1] = net.weights[l]
        p[:, -1] = net.biases[l] if net.use_bias[l] else 0.0
    opt = tr.state.optimiser_for(tr.cfg)
    tr.upd.opt.t = opt.t
    slots = opt.slots
    for k, views in tr.slot_views.items():
        for l, v in enumerate(views):
            ws = slots[2 * l] if 2 * l < len(slots) else None
            bs = slots[2 * l + 1] if 2 * l + 1 < len(slots) else None
            ok_w = ws is not None and ws[k].shape == v[:, :-1].shape
            v[:, :-1] = ws[k] if ok_w else 0.0
            # a frozen bias keeps its saved state; here it is 0 (and its gradient 0),
            # so every optimiser leaves it where it is
            ok_b = tr.train_bias[l] and bs is not None and bs[k].shape == v[:, -1].shape
            v[:, -1] = bs[k] if ok_b else 0.0
    if net.has_batch_norm:
        fn.load_norms(net, tr.norm_layers)
        _norm_slots(tr, opt, to_trainer=True)


def _norm_slots(tr, opt, to_trainer: bool) -> None:
    """gamma's and beta's optimiser state: the reference's slots 2L + 2l and
    2L + 2l + 1 (after every W and b)."""
    L = len(tr.Ps)
    for l, bn in enumerate(tr.net.norms):
        if bn is None:
            continue
        for i, which in ((2 * L + 2 * l, "gamma"), (2 * L + 2 * l + 1, "beta")):
            s = (opt.slots[i] if i < len(opt.slots) else None) if to_trainer else opt._slot(
                i, bn.gamma)
            for k, layers in tr.norm_slots.items():
                v = getattr(layers[l], which)[:, 0]
                if not to_trainer:
                    s[k][...] = v
                else:
                    v[...] = s[k] if s is not None and s[k].shape == (bn.size,) else 0.0


def store(tr, steps: int, epochs: int) -> None:
    """Copy the trainer's parameters and optimiser state back; count steps and epochs."""
    net = tr.net
    for l, p in enumerate(tr.Ps):
        net.weights[l][...] = p[:, :-1]
        if tr.train_bias[l]:
            net.biases[l][...] = p[:, -1]
    st = tr.state
    opt = st.optimiser_for(tr.cfg)
    opt.t = tr.upd.opt.t
    for l in range(len(tr.Ps)):
        ws = opt._slot(2 * l, net.weights[l])
        bs = opt._slot(2 * l + 1, net.biases[l]) if tr.train_bias[l] else None
        for k, views in tr.slot_views.items():
            ws[k][...] = views[l][:, :-1]
            if bs is not None:
                bs[k][...] = views[l][:, -1]
    if net.has_batch_norm:
        fn.store_norms(net, tr.norm_layers)
        _norm_slots(tr, opt, to_trainer=False)
    st.steps += steps
    st.epochs += epochs

