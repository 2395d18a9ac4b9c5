"""The network's parameters as the error-surface lab lists them, with display names."""

from __future__ import annotations

from nnviz.controllers.document import Document
from nnviz.engine.labs import surface as S


class ParamList:
    """Every weight and bias of the document's network in one order, with the notes' names
    and each one's position; listed once per structure (a 784-100-10 network has 79,510)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._cache: tuple | None = None    # (key, refs, names, index of each ref)

    def key(self) -> tuple:
        """Identifies the list: it changes only with the network's structure or names."""
        net = self.doc.network
        if net is None:
            return ()
        return (tuple(net.sizes), tuple(net.use_bias), tuple(net.shared_bias),
                id(self.doc.naming))

    def _listed(self) -> tuple:
        key = self.key()
        if self._cache is None or self._cache[0] != key:
            net = self.doc.network
            refs = S.all_params(net) if net is not None else []
            self._cache = (key, refs, [r.name(self.doc.naming) for r in refs],
                           {r: i for i, r in enumerate(refs)})
        return self._cache

    def refs(self) -> list[S.ParamRef]:
        return self._listed()[1]

    def names(self) -> list[str]:
        """Display names of :meth:`refs`, in the same order."""
        return self._listed()[2]

    def index(self, ref: S.ParamRef) -> int:
        """Position of ``ref`` in :meth:`refs` (ValueError if absent)."""
        try:
            return self._listed()[3][ref]
        except KeyError:
            raise ValueError(f"{ref} is not a parameter of the network") from None
